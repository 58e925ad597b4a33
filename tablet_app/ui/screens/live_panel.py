"""The live panel: the sitting as the shared reducer has it, and the delegate's buttons.

Every button sends a command through ``LiveClient.send``; nothing changes on screen
until the server's events come back through the reducer. The ballot says "recorded"
only when the ``ack`` for this device's vote has arrived.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from shared.live import commands as cmd
from shared.live.state import FollowTarget, SittingState
from shared.live.timers import remaining_seconds, warning
from tablet_app.core.live_client import LinkInfo, PendingCommand, new_key
from tablet_app.core.vote_text import result_rows
from tablet_app.ui.app import HdndApp, app_if_running, running_app


class LivePanel(BoxLayout):
    shown = BooleanProperty(False)
    banner = StringProperty("")
    item_text = StringProperty("")
    quorum_text = StringProperty("")
    present = BooleanProperty(False)
    speaker_text = StringProperty("")
    speaking = BooleanProperty(False)  # this person has the floor
    question_status = StringProperty("")  # sent / my place in the list / what is missing
    countdown_text = StringProperty("")
    countdown_warning = BooleanProperty(False)
    queue_text = StringProperty("")
    my_request = StringProperty("")
    officials = ListProperty([])
    vote_question = StringProperty("")
    threshold = StringProperty("")
    confirm_text = StringProperty("")
    vote_status = StringProperty("")
    vote_recorded = BooleanProperty(False)
    result_text = StringProperty("")  # the summary line under the bars
    result_rows = ListProperty([])  # [(option or candidate, count)] for the bars
    result_members = NumericProperty(0)
    result_needed = NumericProperty(0)
    verdict = StringProperty("")
    result_passed = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state: SittingState | None = None
        self._followed: FollowTarget | None = None  # the presenter's page last jumped to
        self._official_ids: dict[str, int] = {}  # "name — title" -> person id
        self.chosen: str | None = None
        self._vote_id: str | None = None
        self._option_buttons: dict[str, Any] = {}
        Clock.schedule_interval(self._tick, 0.5)

    @property
    def app(self) -> HdndApp:
        return running_app()

    def toggle(self) -> None:
        self.shown = not self.shown

    # --- from the live client ----------------------------------------------------------------

    def link_changed(self, info: LinkInfo) -> None:
        if app_if_running() is None:  # a late callback after the app stopped
            return
        t = self.app.t
        if info.status == "offline":
            self.banner = t("live.offline", seconds=round(info.retry_in or 0))
        elif info.status == "connecting" and self.state is not None:
            self.banner = t("live.reconnecting")
        elif info.status == "refused":
            self.banner = self.app.link_words(info)
        else:
            self.banner = ""
        self._refresh_my_vote()

    def state_changed(self, state: SittingState) -> None:
        if app_if_running() is None:
            return
        self.state = state
        app, t = self.app, self.app.t
        me = app.live.person_id if app.live else None
        roster = state.roster
        app.is_chair = bool(roster and me is not None
                            and (me in roster.chair_ids or me in roster.secretary_ids))
        item = next((i for i in roster.agenda if i.item_id == state.current_item_id),
                    None) if roster else None
        self.item_text = f"{item.number}. {item.title}" if item else t("live.no_item")
        self.quorum_text = t("live.quorum", present=len(state.present),
                             total=state.members_total, needed=state.quorum_needed) + (
            f" — {t('live.quorum_met')}" if state.quorum_met else "")
        self.present = me in state.present
        mine = [r for r in state.queue if r.person_id == me]
        self.my_request = mine[0].request_id if mine else ""
        if mine:
            place = [r.request_id for r in state.queue].index(mine[0].request_id) + 1
            self.queue_text = t("live.queue_place", place=place, total=len(state.queue))
        else:
            self.queue_text = t("live.queue_size", total=len(state.queue))
        if roster:
            # names only on screen; the id stays behind the label
            self._official_ids = {f"{o.full_name} — {o.title}": o.person_id
                                  for o in roster.officials}
            self.officials = list(self._official_ids)
        waiting = [q for q in state.questions.values() if not q.closed]
        place = next((n for n, q in enumerate(waiting, 1) if q.person_id == me), 0)
        if place:  # where my question stands in the list the chair calls from
            self.question_status = t("live.question_place", place=place, total=len(waiting))
        turn = state.turn
        name = roster.name_of(turn.person_id) if (turn and roster) else ""
        self.speaking = turn is not None and me is not None and turn.person_id == me
        if self.speaking and turn is not None:  # said to the speaker as "you", not by name
            self.speaker_text = t(f"turn.you_{turn.kind}")
        else:
            self.speaker_text = t(f"turn.{turn.kind}", name=name) if turn else t("live.nobody")
        self._show_vote(state)
        self._tick(0)
        if state.follow_me != self._followed:
            self._followed = state.follow_me
            app.screens.get_screen("reader").follow(state.follow_me)

    def command_changed(self, pending: PendingCommand) -> None:
        if app_if_running() is None:
            return
        command = pending.command
        if isinstance(command, cmd.CastVote) and command.vote_id == self._vote_id:
            self._refresh_my_vote()  # the latest ballot counts, whichever answer came now
        elif pending.state == "refused":
            said = pending.message_vi if self.app.lang == "vi" else pending.message_en
            if isinstance(command, cmd.RegisterQuestion):
                self.question_status = said or ""  # beside the button that was pressed
            else:
                self.banner = said or ""

    # --- the ballot -------------------------------------------------------------------------

    def show_ballot(self) -> None:
        """Slide the panel in at the ballot (the chair's console has a button for it)."""
        self.shown = True
        self.ids.scroll.scroll_y = 1

    def _current_vote(self) -> Any:
        return self.state.votes.get(self._vote_id) if self.state and self._vote_id else None

    def _show_vote(self, state: SittingState) -> None:
        app = self.app
        vote = state.open_vote
        if vote is None:
            closed = [v for v in state.votes.values() if v.status == "closed"]
            if closed and closed[-1].vote_id == self._vote_id:
                self._show_result(closed[-1])
                self._clear_options()
                self.chosen, self.confirm_text = None, ""
                self._refresh_my_vote()  # "recorded", no longer "you may change it"
                return
            self.vote_question = ""
            self._vote_id = None
            self._clear_options()
            return
        if vote.vote_id != self._vote_id:
            self._vote_id, self.chosen = vote.vote_id, None
            self.vote_status, self.vote_recorded, self.result_text = "", False, ""
            self.verdict, self.result_rows = "", []
            self.confirm_text = ""
            self._build_options(vote)
            if app.screens.current != "chair":
                self.shown = True  # a vote opening slides the ballot in, once
            self.ids.scroll.scroll_y = 1  # at the top of the panel, never out of sight
            _alert()
        self.vote_question = vote.question
        # the rule applied, with its numbers and legal source (docs/rules.md)
        self.threshold = vote.rule_vi if app.lang == "vi" else vote.rule_en
        self._refresh_my_vote()

    def _refresh_my_vote(self) -> None:
        live = self.app.live
        mine = live.my_vote(self._vote_id) if live is not None and self._vote_id else None
        if mine is not None:
            self._vote_status(mine)

    def _clear_options(self) -> None:
        self.ids.options.clear_widgets()
        self._option_buttons = {}

    def _build_options(self, vote: Any) -> None:
        self._clear_options()
        if vote.ballot_id is not None or vote.mode in ("election", "confidence"):
            # ballots of these go encrypted through their own screen, never cast_vote
            self.vote_status = self.app.t("live.ballot_elsewhere")
            return
        for option in vote.options:
            label = option.label_vi if self.app.lang == "vi" else option.label_en
            button = Factory.ToolToggle(text=label, group=f"ballot-{vote.vote_id}",
                                        allow_no_selection=False,
                                        size_hint_y=None, height=dp(72),
                                        font_size=sp(22) * self.app.text_scale)
            button.bind(on_release=lambda _b, key=option.key: self.choose(key))
            self._option_buttons[option.key] = button
            self.ids.options.add_widget(button)

    def choose(self, key: str) -> None:
        """First press picks; the confirm button sends (no vote by a stray touch)."""
        vote = self._current_vote()
        if vote is None or vote.status != "open" or key not in self._option_buttons:
            return
        live = self.app.live
        if live is None:
            return
        mine = live.my_vote(vote.vote_id)
        if mine is not None and mine.state == "acked" and not vote.allow_change:
            return
        self.chosen = key
        label = next(o.label_vi if self.app.lang == "vi" else o.label_en
                     for o in vote.options if o.key == key)
        self.confirm_text = self.app.t("live.confirm", choice=label)

    def confirm(self) -> None:
        if self.chosen is None or self._vote_id is None or self.app.live is None:
            return
        pending = self.app.live.send(cmd.CastVote(key=new_key(), vote_id=self._vote_id,
                                                  choice=self.chosen))
        self.chosen, self.confirm_text = None, ""
        self._vote_status(pending)

    def _vote_status(self, pending: PendingCommand) -> None:
        """What became of this device's ballot; "recorded" only once the server acked it."""
        t, live = self.app.t, self.app.live
        vote = self._current_vote()
        self.vote_recorded = pending.state == "acked"
        if pending.state == "acked":
            is_open = vote is not None and vote.status == "open"
            change = is_open and vote.allow_change
            self.vote_status = t("live.recorded") + ("\n" + t("live.can_change") if change
                                                     else "")
            if isinstance(pending.command, cmd.CastVote):
                self._show_my_choice(pending.command.choice, locked=not change)
        elif pending.state == "refused":
            self.vote_status = pending.message_vi if self.app.lang == "vi" \
                else (pending.message_en or "")
        elif pending.state == "queued" and live is not None and live.link.status != "online":
            self.vote_status = t("live.queued_offline")
        else:
            self.vote_status = t("live.sending")

    def _show_my_choice(self, choice: Any, *, locked: bool) -> None:
        if self.chosen is not None:  # the delegate is picking a new choice: leave it be
            return
        for key, button in self._option_buttons.items():
            button.state = "down" if key == choice else "normal"
            button.disabled = locked

    def _show_result(self, vote: Any) -> None:
        t = self.app.t
        result = vote.result
        if result is None:
            return
        self.result_rows = result_rows(vote, self.app.lang)
        self.result_members, self.result_needed = result.members_total, result.needed
        self.result_text = t("live.result_numbers", ballots=result.ballots,
                             total=result.members_total, needed=result.needed)
        self.verdict = t("live.passed") if result.passed else t("live.not_passed")
        self.result_passed = result.passed

    # --- the delegate's other buttons ---------------------------------------------------------

    def check_in(self) -> None:
        if self.app.live:
            self.app.live.send(cmd.CheckIn(key=new_key()))

    def speak_or_withdraw(self) -> None:
        live = self.app.live
        if live is None:
            return
        if self.my_request:
            live.send(cmd.WithdrawRequest(key=new_key(), request_id=self.my_request))
        else:
            live.send(cmd.RequestToSpeak(key=new_key()))

    def register_question(self) -> None:
        live = self.app.live
        text = self.ids.question_text.text.strip()
        addressee = self._official_ids.get(self.ids.addressee.text)
        if live is None:
            return
        if addressee is None or not text:
            self.question_status = self.app.t("live.question_incomplete")
            return
        live.send(cmd.RegisterQuestion(key=new_key(), addressee_id=addressee, text=text))
        self.question_status = self.app.t("live.question_sending")
        self.ids.question_text.text = ""

    def _tick(self, _dt: float) -> None:
        state, live = self.state, app.live if (app := app_if_running()) else None
        turn = state.turn if state else None
        if turn is None or live is None:
            self.countdown_text, self.countdown_warning = "", False
            return
        now = live.now()
        left = remaining_seconds(turn, now)
        sign = "-" if left < 0 else ""
        left = abs(int(left))
        self.countdown_text = f"{sign}{left // 60:02d}:{left % 60:02d}"
        self.countdown_warning = warning(turn, now) != "running"


def _alert() -> None:
    """A short vibration where the device has one (Android), so a new vote is noticed."""
    try:
        from plyer import vibrator  # present in the Android build only

        vibrator.vibrate(0.3)
    except Exception:  # no vibrator (desktop, tests): the panel is enough
        return

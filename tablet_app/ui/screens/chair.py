"""The chair's console (laptop layout): agenda, attendance, floor, questions, votes.

Commands go through the same live client as a delegate's; the server decides whether
this person may issue them. What cannot be undone (closing a vote or the sitting) asks
first and says what will happen.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.popup import Popup
from kivy.uix.screenmanager import Screen

from shared.clock import VN_TZ
from shared.live import commands as cmd
from shared.live.state import SittingState
from shared.live.timers import remaining_seconds
from shared.rules.decisions import rule_line, threshold_for
from tablet_app.core.live_client import LinkInfo, PendingCommand, new_key
from tablet_app.core.vote_text import result_rows
from tablet_app.ui.app import HdndApp, app_if_running, close_then, running_app

VOTE_MODES = ("open", "named", "secret")
THRESHOLDS = ("majority_of_all", "two_thirds_of_all", "majority_of_present")
# what the chair decides by an open/named/secret vote; the law fixes the threshold of each
# but a procedural vote (docs/rules.md); elections and confidence ballots are set up as
# verifiable ballots
DECISIONS = ("resolution", "dismissal", "recall", "procedural")


class ChairScreen(Screen):
    sitting_text = StringProperty("")
    banner = StringProperty("")
    notice = StringProperty("")  # the last refusal of a command pressed here, in words
    sitting_status = StringProperty("")  # scheduled | open | closed: which buttons apply
    quorum_text = StringProperty("")
    present_text = StringProperty("")  # who is present, by name
    timer_text = StringProperty("")  # the speaker's time left (negative: over)
    turn_text = StringProperty("")
    vote_text = StringProperty("")
    result_rows = ListProperty([])  # the last closed vote's bars
    result_members = NumericProperty(0)
    result_needed = NumericProperty(0)
    vote_open = BooleanProperty(False)
    my_vote_recorded = BooleanProperty(False)  # the chair is a member too: their own ballot
    log_text = StringProperty("")
    threshold_preview = StringProperty("")
    vote_mode = StringProperty("open")  # the codes the command carries
    vote_threshold = StringProperty("majority_of_all")  # a procedural vote's own rule
    vote_decision = StringProperty("resolution")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._seq = -1  # the live state last drawn
        Clock.schedule_interval(self._poll, 0.5)

    @property
    def app(self) -> HdndApp:
        return running_app()

    def link_changed(self, info: LinkInfo) -> None:
        if info.status == "refused":
            self.banner = self.app.link_words(info)
        else:
            self.banner = "" if info.status == "online" else self.app.t(f"link.{info.status}")

    def command_changed(self, pending: PendingCommand) -> None:
        """Say in words why the server refused what the chair pressed, and what to do."""
        kind = getattr(pending.command, "type", "")
        if pending.state == "refused":
            said = pending.message_vi if self.app.lang == "vi" else pending.message_en
            self.notice = self.app.t("chair.refused", action=self.app.t(f"command.{kind}"),
                                     reason=said or pending.error_code or "")
        elif pending.state in ("queued", "sent", "acked") and kind != "cast_vote":
            # pressed again, or done: the old refusal no longer applies. The object is read
            # when this runs on Kivy's thread, so "queued" may already read "sent".
            self.notice = ""

    def _poll(self, _dt: float) -> None:
        live = app.live if (app := app_if_running()) else None
        if self.manager is None or self.manager.current != self.name or live is None:
            return
        if live.state is not None and live.state.seq != self._seq:
            self._seq = live.state.seq
            self.show(live.state)
        state = live.state
        total = state.members_total if state is not None else 0
        present = len(state.present) if state is not None else 0
        threshold = threshold_for(self.vote_decision, self._own_threshold())
        vi, en = rule_line(self.vote_decision, threshold, total, present)
        self.threshold_preview = vi if self.app.lang == "vi" else en
        turn = live.state.turn if live.state is not None else None
        if turn is None:
            self.timer_text = ""
        else:
            left = int(remaining_seconds(turn, live.now()))
            sign = "-" if left < 0 else ""
            self.timer_text = f"{sign}{abs(left) // 60:02d}:{abs(left) % 60:02d}"
        vote = live.state.open_vote if live.state is not None else None
        mine = live.my_vote(vote.vote_id) if vote is not None else None
        self.my_vote_recorded = mine is not None and mine.state == "acked"

    def send(self, command: cmd.Command) -> None:
        """Send what the chair pressed; a fresh press clears the last refusal at once, on
        this thread, so it never sits beside the result of the press that followed it."""
        self.notice = ""
        if self.app.live is not None:
            self.app.live.send(command)

    # --- drawing the state ------------------------------------------------------------------

    def show(self, state: SittingState) -> None:
        t = self.app.t
        roster = state.roster
        self.sitting_text = t(f"sitting.{state.status}")
        self.sitting_status = state.status
        self.quorum_text = t("live.quorum", present=len(state.present),
                             total=state.members_total, needed=state.quorum_needed)
        names = sorted(n for n in (roster.name_of(p) for p in state.present) if n) \
            if roster else []
        self.present_text = t("chair.present_names", names=", ".join(names)) if names else ""
        turn = state.turn
        self.turn_text = (t(f"turn.{turn.kind}", name=roster.name_of(turn.person_id))
                          if turn and roster else t("live.nobody"))
        self._agenda(state)
        self._queue(state)
        self._questions(state)
        vote = state.open_vote
        self.vote_open = vote is not None
        if vote is not None:
            self.vote_text = t("chair.turnout", question=vote.question, n=vote.turnout,
                               total=vote.members_total)
        else:
            closed = [v for v in state.votes.values() if v.result is not None]
            self.vote_text, self.result_rows = "", []
            if closed:
                self._show_result(closed[-1])
        live = self.app.live
        self.log_text = "\n".join(f"#{e.seq} {e.at.astimezone(VN_TZ):%H:%M:%S} "
                                  f"{t('event.' + e.type)}"
                                  for e in reversed(live.log if live is not None else []))

    def _show_result(self, vote: Any) -> None:
        t = self.app.t
        verdict = t("live.passed") if vote.result.passed else t("live.not_passed")
        self.vote_text = f"{vote.question}\n{verdict}"
        self.result_rows = result_rows(vote, self.app.lang)
        self.result_members, self.result_needed = vote.result.members_total, vote.result.needed

    def _row(self, text: str, *buttons: tuple[str, Any]) -> BoxLayout:
        row = BoxLayout(size_hint_y=None, height=dp(48), spacing=dp(4))
        # wrap a long agenda title or question on a few lines rather than cut its middle
        label = Factory.TLabel(text=text, max_lines=3)
        label.size_hint_y = 1
        label.bind(texture_size=lambda _l, size: setattr(row, "height",
                                                         max(dp(48), size[1] + dp(8))))
        row.add_widget(label)
        for caption, action in buttons:
            button = Factory.FlatButton(text=caption, size_hint_x=None, width=dp(76))
            # as wide as its word at any text size (160%: "Kết thúc" is not cut)
            button.bind(texture_size=lambda b, size: setattr(b, "width",
                                                             max(dp(64), size[0] + dp(16))))
            button.bind(on_release=lambda _b, a=action: a())
            row.add_widget(button)
        return row

    def _agenda(self, state: SittingState) -> None:
        t, box = self.app.t, self.ids.agenda
        box.clear_widgets()
        for item in state.roster.agenda if state.roster else ():
            current = item.item_id == state.current_item_id
            done = item.item_id in state.items_done
            action = ((t("chair.close_item"), self._close_item) if current else
                      (t("chair.open_item"), partial(self._open_item, item.item_id)))
            mark = "» " if current else ("• " if done else "")
            box.add_widget(self._row(f"{mark}{item.number}. {item.title}", action))

    def _open_item(self, item_id: int) -> None:
        self.send(cmd.OpenItem(key=new_key(), item_id=item_id))

    def _close_item(self) -> None:
        self.send(cmd.CloseItem(key=new_key()))

    def _queue(self, state: SittingState) -> None:
        t, box = self.app.t, self.ids.queue
        box.clear_widgets()
        order = [r.request_id for r in state.queue]
        for place, request in enumerate(state.queue):
            name = state.roster.name_of(request.person_id) if state.roster else ""
            up = order[:]
            if place > 0:
                up[place - 1], up[place] = up[place], up[place - 1]
            box.add_widget(self._row(
                f"{place + 1}. {name}",
                (t("chair.grant"), lambda r=request.request_id:
                 self.send(cmd.GrantFloor(key=new_key(), request_id=r))),
                (t("chair.up"), lambda o=tuple(up):
                 self.send(cmd.ReorderQueue(key=new_key(), order=o))),
                (t("chair.skip"), lambda r=request.request_id:
                 self.send(cmd.SkipRequest(key=new_key(), request_id=r)))))

    def _questions(self, state: SittingState) -> None:
        t, box = self.app.t, self.ids.questions
        box.clear_widgets()
        for place, question_id in enumerate(state.question_order):
            question = state.questions[question_id]
            name = state.roster.name_of(question.person_id) if state.roster else ""
            box.add_widget(self._row(
                f"{place + 1}. {name}: {question.text}",
                (t("chair.ask"), lambda q=question_id: self.send(
                    cmd.StartQuestionTurn(key=new_key(), question_id=q, phase="question"))),
                (t("chair.answer"), lambda q=question_id: self.send(
                    cmd.StartQuestionTurn(key=new_key(), question_id=q, phase="answer")))))

    # --- the vote pickers: words on screen, codes in the command ------------------------------

    def mode_words(self, mode: str, _lang: str = "") -> str:
        return self.app.t(f"vote_mode.{mode}")

    def mode_choices(self, _lang: str = "") -> list[str]:
        return [self.mode_words(m) for m in VOTE_MODES]

    def pick_mode(self, words: str) -> None:
        self.vote_mode = next((m for m in VOTE_MODES if self.mode_words(m) == words),
                              self.vote_mode)

    def decision_words(self, decision: str, _lang: str = "") -> str:
        return self.app.t(f"decision.{decision}")

    def decision_choices(self, _lang: str = "") -> list[str]:
        return [self.decision_words(d) for d in DECISIONS]

    def pick_decision(self, words: str) -> None:
        self.vote_decision = next(
            (d for d in DECISIONS if self.decision_words(d) == words), self.vote_decision)

    def _own_threshold(self) -> Any:
        """Only a procedural vote carries a rule of its own; the law fixes the others'."""
        return self.vote_threshold if self.vote_decision == "procedural" else None

    def threshold_words(self, threshold: str, _lang: str = "") -> str:
        return self.app.t(f"threshold.{threshold}")

    def threshold_choices(self, _lang: str = "") -> list[str]:
        return [self.threshold_words(t) for t in THRESHOLDS]

    def pick_threshold(self, words: str) -> None:
        self.vote_threshold = next(
            (t for t in THRESHOLDS if self.threshold_words(t) == words), self.vote_threshold)

    # --- controls ---------------------------------------------------------------------------

    def extend(self) -> None:
        self.send(cmd.ExtendTurn(key=new_key(), seconds=60))

    def stop_turn(self) -> None:
        self.send(cmd.EndTurn(key=new_key(), reason="stopped"))

    def open_vote(self) -> None:
        live = self.app.live
        state = live.state if live else None
        question = " ".join(self.ids.vote_question.text.split())  # one line, as the record keeps it
        if state is None or state.current_item_id is None or not question:
            self.banner = self.app.t("chair.need_item_and_question")
            return
        self.banner = ""
        self.send(cmd.OpenVote(key=new_key(), item_id=state.current_item_id, question=question,
                               mode=self.vote_mode, decision=self.vote_decision,
                               threshold=self._own_threshold()))

    def ask(self, action: str) -> None:
        """Irreversible controls say what they will do, and wait for a second press."""
        t = self.app.t
        state = self.app.live.state if self.app.live else None
        if action == "close_vote":
            vote = state.open_vote if state else None
            if vote is None:
                return
            text = t("chair.confirm_close_vote", question=vote.question, n=vote.turnout,
                     total=vote.members_total)
            command: cmd.Command = cmd.CloseVote(key=new_key(), vote_id=vote.vote_id)
        elif action == "close_sitting":
            text, command = t("chair.confirm_close_sitting"), cmd.CloseSitting(key=new_key())
        else:
            text, command = t("chair.confirm_open_sitting"), cmd.OpenSitting(key=new_key())
        box = BoxLayout(orientation="vertical", spacing=dp(10), padding=dp(10))
        box.add_widget(Factory.Label(text=text, color=(1, 1, 1, 1), font_size=dp(17),
                                     text_size=(dp(560), None), valign="top"))
        buttons = BoxLayout(size_hint_y=None, height=dp(52), spacing=dp(10))
        cancel = Factory.FlatButton(text=t("common.cancel"))
        go = Factory.TButton(text=t("common.confirm"))
        buttons.add_widget(cancel)
        buttons.add_widget(go)
        box.add_widget(buttons)
        popup = Popup(title=t("chair.confirm_title"), title_size=sp(20), content=box,
                      size_hint=(0.5, 0.45))
        cancel.bind(on_release=lambda *_: popup.dismiss())
        go.bind(on_release=lambda *_: close_then(popup, lambda: self.send(command)))
        self.confirm_popup = popup
        popup.open()

"""The verifiable secret ballot on the tablet (docs/ballot.md): two thin screens.

``BallotScreen`` (a delegate): when an election or a confidence vote with a ``ballot_id``
opens, the ballot slides in; the delegate marks it (up to k of n candidates with a
counter, or exactly one of three levels per official), reviews it, confirms, and the
tablet encrypts and proves it *on the device* (``BallotClient.prepare``, off the UI
thread), sends only the ciphertexts, and shows the receipt once the server accepted it.
A lost answer is resent with the same encrypted ballot (``submit``), never a new one.

``CommitteeScreen`` (a member of the vote-counting committee, Ban kiểm phiếu): make and
post this device's key share before the open; after the close, decrypt this member's
part of the tally and post it. The secret share never leaves the device and is
forgotten once the partial is sent.

Nothing here decides anything: ``tablet_app.core.ballot_client`` does the cryptography
and the HTTP, ``shared.live`` the state every device agrees on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from shared.ballot.ballot import LEVELS, BallotDefinition, EncryptedBallot
from shared.ballot.errors import InvalidChoice
from shared.live.state import SittingState, VoteState
from tablet_app.core.ballot_client import MemberTask, member_tasks
from tablet_app.ui.app import HdndApp, app_if_running, in_background, running_app

REFRESH_S = 5.0  # how often a member's tablet looks for ballots needing its key share
REFRESH_MIN_S = 1.0  # and at most this often on live events


def group_receipt(receipt: str) -> str:
    """64 hex digits in groups of eight, as people read them aloud and compare them."""
    return " ".join(receipt[i:i + 8] for i in range(0, len(receipt), 8))


def ballot_state_changed(app: HdndApp, state: SittingState) -> None:
    """Called by the app on every new live state, after the live panel."""
    if app_if_running() is not app or not app.has_screens:
        return  # a late callback after the app stopped
    app.screens.get_screen("ballot").state_changed(state)
    app.screens.get_screen("committee").state_changed(state)


class LevelRow(BoxLayout):
    """One official of a confidence ballot: their name and the three levels."""

    name = StringProperty("")


# which blocks of the ballot screen (kv ids, in order) each phase shows
PHASE_BLOCKS: dict[str, tuple[str, ...]] = {
    "idle": ("heading", "message", "status"),
    "loading": ("heading", "loading", "message", "status"),
    "choose": ("heading", "rule", "counter", "choices", "message", "status", "buttons"),
    "review": ("heading", "rule", "review", "message", "status", "buttons"),
    "sending": ("heading", "review", "message", "status"),
    "failed": ("heading", "review", "message", "status", "buttons"),
    "done": ("heading", "done", "message", "status"),
    "closed": ("heading", "message", "status"),
}
BLOCK_ORDER = ("heading", "rule", "counter", "loading", "choices", "review", "done", "message",
               "status", "buttons")


class BallotScreen(Screen):
    phase = StringProperty("idle")  # idle | loading | choose | review | sending | done | closed
    title_text = StringProperty("")
    rule_text = StringProperty("")
    counter_text = StringProperty("")
    counter_ok = BooleanProperty(False)
    message = StringProperty("")
    review_text = StringProperty("")
    receipt_text = StringProperty("")
    status_text = StringProperty("")
    sent_count = NumericProperty(0)
    _blocks: dict[str, Any] | None = None  # set once the kv rule made them (on_kv_post)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.definition: BallotDefinition | None = None
        self.ballot_id: int | None = None
        self.live_vote_id: str | None = None
        self.picked: list[str] = []  # election: candidate ids in the order tapped
        self.levels: dict[str, str] = {}  # confidence: official id -> level
        self._prepared: EncryptedBallot | None = None
        self._toggles: dict[str, Any] = {}
        self._previous_screen = "library"

    def on_kv_post(self, base_widget: Any) -> None:
        # strong references: ``ids`` holds weak proxies, and a block out of the tree has
        # no other owner
        self._blocks = {name: self.ids[name].__self__ for name in BLOCK_ORDER}
        self._back = self.ids.back.__self__
        self.on_phase(self, self.phase)

    def on_phase(self, _screen: Any, phase: str) -> None:
        """Show this phase's blocks; the others leave the tree (no invisible tap traps)."""
        blocks = self._blocks
        if blocks is None:
            return
        body, shown = self.ids.body, PHASE_BLOCKS.get(phase, PHASE_BLOCKS["idle"])
        body.clear_widgets()
        for name in BLOCK_ORDER:
            if name in shown:
                body.add_widget(blocks[name])
        buttons, back = blocks["buttons"], self._back
        if phase == "review" and back.parent is None:
            buttons.add_widget(back, index=len(buttons.children))
        elif phase != "review" and back.parent is not None:
            buttons.remove_widget(back)

    # --- from the live sitting -----------------------------------------------------------

    def state_changed(self, state: SittingState) -> None:
        app = running_app()
        me = app.live.person_id if app.live else None
        vote = next((v for v in state.votes.values() if v.ballot_id is not None
                     and v.status == "open"), None)
        if vote is not None and vote.vote_id != self.live_vote_id:
            roster = state.roster
            if me is None or roster is None or me not in roster.member_ids:
                return  # officials, the public: nothing to cast
            if me in vote.voters:  # cast before an app restart: the roll says so
                return
            self._start(vote)
            return
        mine = state.votes.get(self.live_vote_id or "")
        if mine is not None:
            self._show_progress(state, mine)

    def _start(self, vote: VoteState) -> None:
        app = running_app()
        self.live_vote_id, self.ballot_id = vote.vote_id, vote.ballot_id
        self.definition, self._prepared = None, None
        self.picked, self.levels = [], {}
        self.title_text, self.message, self.receipt_text = vote.question, "", ""
        self.status_text, self.phase = "", "loading"
        if app.screens.current not in ("ballot", "committee"):
            self._previous_screen = app.screens.current
        app.live_panel.shown = False  # the ballot needs the whole screen
        app.screens.current = self.name
        client = app.ballot_client
        ballot_id = vote.ballot_id
        assert client is not None and ballot_id is not None
        in_background(lambda: client.form(ballot_id), self._form_loaded, self._failed)

    def _form_loaded(self, form: Any) -> None:
        self.definition = form.definition
        self._build()
        self.phase = "choose"

    def _show_progress(self, state: SittingState, vote: VoteState) -> None:
        """After the vote: counting (who the committee waits for), then the result."""
        t = running_app().t
        roster = state.roster
        if vote.status == "counting":
            names = ", ".join((roster.name_of(p) if roster else None) or f"#{p}"
                              for p in vote.waiting_for)
            self.status_text = t("ballot.counting", waiting=names) if names else \
                t("ballot.counting_done")
        elif vote.status == "closed" and vote.result is not None:
            self.status_text = t("ballot.counted", ballots=vote.result.ballots)
        if vote.status != "open" and self.phase in ("choose", "review", "loading"):
            self.phase = "closed"
            self.message = t("ballot.closed_before_sent")

    # --- marking ---------------------------------------------------------------------------

    def _build(self) -> None:
        app, definition = running_app(), self.definition
        assert definition is not None
        box = self.ids.choices
        box.clear_widgets()
        box.cols = 2 if definition.kind == "election" else 1
        self._toggles = {}
        if definition.kind == "election":
            self.rule_text = app.t("ballot.rule_election", k=definition.max_choices,
                                   n=len(definition.subjects))
            for subject in definition.subjects:
                button = Factory.ChoiceToggle(text=subject.full_name)
                button.bind(on_release=lambda b, sid=subject.subject_id: self.pick(sid, b))
                self._toggles[subject.subject_id] = button
                box.add_widget(button)
        else:
            self.rule_text = app.t("ballot.rule_confidence")
            for subject in definition.subjects:
                row = LevelRow(name=subject.full_name)
                for level in LEVELS:
                    button = Factory.LevelToggle(text=app.t(f"ballot.level_{level}"),
                                                 group=f"levels-{subject.subject_id}")
                    button.bind(on_release=lambda b, sid=subject.subject_id, lv=level:
                                self.rate(sid, lv, b))
                    self._toggles[f"{subject.subject_id}/{level}"] = button
                    row.ids.levels.add_widget(button)
                box.add_widget(row)
        self._update_counter()

    def pick(self, subject_id: str, button: Any) -> None:
        """Tap a candidate: marked or unmarked; more than k is refused on the spot."""
        definition = self.definition
        if definition is None or self.phase != "choose":
            return
        self.message = ""
        if button.state == "down":
            if len(self.picked) >= definition.max_choices:
                button.state = "normal"
                self.message = running_app().t("ballot.too_many", k=definition.max_choices)
                return
            self.picked.append(subject_id)
        elif subject_id in self.picked:
            self.picked.remove(subject_id)
        self._update_counter()

    def rate(self, subject_id: str, level: str, button: Any) -> None:
        if self.phase != "choose":
            return
        self.message = ""
        if button.state == "down":
            self.levels[subject_id] = level
        else:
            self.levels.pop(subject_id, None)
        self._update_counter()

    def _update_counter(self) -> None:
        t, definition = running_app().t, self.definition
        if definition is None:
            return
        if definition.kind == "election":
            self.counter_text = t("ballot.counter_election", n=len(self.picked),
                                  k=definition.max_choices)
        else:
            self.counter_text = t("ballot.counter_confidence", n=len(self.levels),
                                  total=len(definition.subjects))
        try:  # the ballot's own rule, the one encryption enforces: no second copy here
            definition.marks(self.choice())
            self.counter_ok = True
        except InvalidChoice:
            self.counter_ok = False

    def choice(self) -> Any:
        if self.definition is not None and self.definition.kind == "election":
            return list(self.picked)
        return dict(self.levels)

    # --- review, confirm, send ----------------------------------------------------------------

    def review(self) -> None:
        t, definition = running_app().t, self.definition
        if definition is None or not self.counter_ok:
            self.message = t("ballot.incomplete")
            return
        names = {s.subject_id: s.full_name for s in definition.subjects}
        if definition.kind == "election":
            lines = [f"• {names[c]}" for c in self.picked] or [t("ballot.none_chosen")]
        else:
            lines = [f"• {names[o]}: {t(f'ballot.level_{lv}')}" for o, lv in self.levels.items()]
        self.review_text = "\n".join(lines)
        self.message = ""
        self.phase = "review"

    def back(self) -> None:
        if self.phase == "review":
            self.phase = "choose"

    def confirm(self) -> None:
        """Encrypt and prove here, off the UI thread; then send only the ciphertexts."""
        app = running_app()
        client, live = app.ballot_client, app.live
        if self.phase not in ("review", "failed") or client is None or live is None \
                or self.ballot_id is None:
            return
        ballot_id, choice = self.ballot_id, self.choice()
        voter = str(live.person_id)
        self.phase, self.message = "sending", ""
        self.status_text = app.t("ballot.encrypting")

        def work() -> str:
            if self._prepared is None:  # a retry resends the very same ballot
                self._prepared = client.prepare(ballot_id, choice, voter)
            return client.submit(ballot_id, self._prepared).receipt

        in_background(work, self._accepted, self._failed)

    def _accepted(self, receipt: str) -> None:
        self.receipt_text = group_receipt(receipt)
        self.sent_count += 1
        self.phase = "done"
        app = running_app()
        self.status_text = app.t("ballot.accepted")
        state = app.live.state if app.live else None
        vote = state.votes.get(self.live_vote_id or "") if state else None
        if state is not None and vote is not None:
            self._show_progress(state, vote)

    def _failed(self, error: BaseException) -> None:
        app = running_app()
        self.message = app.err(error)
        if self.phase == "sending":
            self.phase = "failed"  # the confirm button resends the same ballot
            self.status_text = ""
        elif self.phase == "loading":
            self.phase = "closed"

    def leave(self) -> None:
        app = running_app()
        app.screens.current = self._previous_screen if self._previous_screen in \
            app.screens.screen_names else "library"


class CommitteeScreen(Screen):
    """The member's part: the key share before the open, the partial after the close."""

    status_text = StringProperty("")
    message = StringProperty("")
    busy = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tasks: list[MemberTask] = []
        self._sitting_id: int | None = None
        self._announced: set[tuple[int, str]] = set()
        self._refreshing = False
        self._event = None
        self._last_refresh = -REFRESH_S

    def state_changed(self, state: SittingState) -> None:
        self._sitting_id = state.sitting_id
        if self._event is None:
            self._event = Clock.schedule_interval(lambda _dt: self.refresh(), REFRESH_S)
        # any event may follow a ballot's setup or close (those have no event of their
        # own until the open): look again, at most every REFRESH_MIN_S
        now = Clock.get_boottime()
        if now - self._last_refresh >= REFRESH_MIN_S:
            self._last_refresh = now
            self.refresh()

    def refresh(self) -> None:
        app = app_if_running()
        if app is None or not app.has_screens or \
                self not in app.screens.screens:  # this app stopped: stop looking
            if self._event is not None:
                self._event.cancel()
                self._event = None
            return
        if app.live is None or self._sitting_id is None or self._refreshing:
            return
        client, me = app.ballot_client, app.live.person_id
        if client is None or me is None:
            return
        self._refreshing = True
        sitting_id = self._sitting_id
        in_background(lambda: member_tasks(client.ballots(sitting_id), me), self._tasks_loaded,
                      self._refresh_failed)

    def _refresh_failed(self, error: BaseException) -> None:
        self._refreshing = False
        app = app_if_running()
        if app is not None:
            self.message = app.err(error)  # shown on this screen; the next refresh retries

    def _tasks_loaded(self, tasks: list[MemberTask]) -> None:
        self._refreshing = False
        app = app_if_running()
        if app is None:
            return
        if tasks != self.tasks or not self.ids.tasks.children:
            self.tasks = tasks  # redraw only on change: a button must not vanish under a finger
            self._draw()
        todo = [(t.ballot_id, t.action) for t in tasks if t.action in ("key_share", "partial")]
        new = [key for key in todo if key not in self._announced]
        if new and not self.busy:
            self._announced.update(new)
            if app.screens.current != "ballot" or app.screens.get_screen("ballot").phase in (
                    "done", "closed", "idle"):
                app.live_panel.shown = False
                app.screens.current = self.name

    def _draw(self) -> None:
        app = running_app()
        box = self.ids.tasks
        box.clear_widgets()
        if not self.tasks:
            box.add_widget(Factory.Muted(text=app.t("committee.none")))
            return
        for task in self.tasks:
            card = Factory.Card()
            card.add_widget(Factory.TLabel(text=task.title, bold=True))
            card.add_widget(Factory.Muted(text=app.t(f"committee.{task.action}")))
            if task.action in ("key_share", "partial"):
                button = Factory.TButton(text=app.t(f"committee.do_{task.action}"),
                                         disabled=self.busy)
                button.bind(on_release=lambda _b, tk=task: self.act(tk))
                card.add_widget(button)
            box.add_widget(card)

    def act(self, task: MemberTask) -> None:
        """Make the key share, or decrypt this member's part: the secret stays here."""
        app = running_app()
        client, live = app.ballot_client, app.live
        if client is None or live is None or self.busy:
            return
        me = str(live.person_id)
        self.busy, self.message = True, ""
        self.status_text = app.t(f"committee.working_{task.action}")
        self._draw()
        work: Callable[[], object]
        if task.action == "key_share":
            work = lambda: client.post_key_share(task.ballot_id, me)  # noqa: E731
        else:
            work = lambda: client.post_partial_decryption(task.ballot_id, me)  # noqa: E731
        in_background(work, lambda _r: self._done(task), self._act_failed)

    def _done(self, task: MemberTask) -> None:
        self.busy = False
        self.status_text = running_app().t(f"committee.sent_{task.action}")
        self.refresh()

    def _act_failed(self, error: BaseException) -> None:
        self.busy = False
        self.status_text = ""
        self.message = running_app().err(error)
        self._draw()

    def leave(self) -> None:
        running_app().screens.current = "library"


__all__ = ["BallotScreen", "CommitteeScreen", "ballot_state_changed", "group_receipt"]

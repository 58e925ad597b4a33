// One way every screen says a vote: its mode and rule line (the words come from the
// server, ``server/web/vote_view.py``), turnout while open, counting while a secret ballot
// is decrypted, then the counts and the verdict. The console and the projector both use it.

export const VOTE_L = {
  vi: { turnout: 'Đã biểu quyết', passed: 'THÔNG QUA', failed: 'KHÔNG THÔNG QUA',
        counting: 'Đang kiểm phiếu: chờ Ban kiểm phiếu giải mã', waiting: 'còn chờ',
        open: 'Đang biểu quyết', ballots: 'Số phiếu', roll: 'Danh sách ghi danh' },
  en: { turnout: 'Voted', passed: 'ADOPTED', failed: 'NOT ADOPTED',
        counting: 'Counting: waiting for the vote-counting committee', waiting: 'waiting for',
        open: 'Voting', ballots: 'Ballots', roll: 'Named roll' },
};

export function optionLabel(vote, key, en) {
  const option = (vote.options || []).find((o) => o.key === key);
  if (!option) return key;
  return en ? option.label_en : option.label_vi;
}

// The vote open now, else one being counted, else the last one closed.
export function currentVote(votes) {
  const entries = Object.entries(votes || {});
  const open = entries.find(([, v]) => v.status === 'open') || entries.find(([, v]) => v.status === 'counting');
  if (open) return open;
  return entries.filter(([, v]) => v.closed_at)
    .sort((a, b) => a[1].closed_at.localeCompare(b[1].closed_at)).at(-1) || null;
}

// {status, turnout, verdict, verdictClass, rule, mode, counts: [[label, n, key]]}
export function describeVote(vote, words, en, nameOf) {
  const L = en ? VOTE_L.en : VOTE_L.vi;
  const out = { mode: words?.mode || vote.mode, rule: words?.rule || '', status: vote.status,
                turnout: '', verdict: '', verdictClass: '', counts: [] };
  if (vote.status === 'open') {
    out.turnout = `${L.turnout}: ${vote.turnout} / ${vote.present_at_open}`;
  } else if (vote.status === 'counting') {
    out.turnout = `${L.turnout}: ${vote.turnout} / ${vote.present_at_open}`;
    const waiting = (vote.waiting_for || []).map(nameOf).join(', ');
    out.verdict = waiting ? `${L.counting} (${L.waiting}: ${waiting})` : L.counting;
    out.verdictClass = 'counting';
  } else if (vote.result) {
    out.counts = Object.keys(vote.result.counts || {}).map((k) => [optionLabel(vote, k, en), vote.result.counts[k], k]);
    out.verdict = vote.result.passed ? L.passed : L.failed;
    out.verdictClass = vote.result.passed ? 'passed' : 'failed';
  }
  return out;
}

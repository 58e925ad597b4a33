"""Benchmark: propose groups of similar voter petitions among 5,000 (500 with --quick).

Run: ``python -m tests.bench.search_grouping [--quick]``. The last line printed is one JSON
object; ``group_5000_s`` is the grouping time for the full run (null with --quick, whose
time is ``group_s`` for 500 petitions).

The petitions come from templates: a request (road, water, school...) about a place, in one
of several phrasings, with or without diacritics, with a voter's remark appended. Petitions
from the same template and place are "the same request"; the benchmark also reports how
well the proposed groups match that (purity and recall), so a speed-up that breaks the
grouping shows.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter, defaultdict

from server.text.similarity import GroupingSettings, propose_groups
from server.text.vietnamese import fold

PLACES = [
    "Lao Chải", "Sín Chải", "Hồng Ngài", "Phìn Hồ", "Ngải Thầu", "Tả Gú", "Túng Sán",
    "Mò Phú Chải", "Choản Thèn", "Trung Hồ", "Nhìu Cồ San", "Cán Cấu", "Lũng Pô",
    "Bản Xèo", "Pa Cheo", "Phìn Ngan", "Dền Sáng", "Ngải Trồ", "Ý Tý", "Sàng Ma Sáo",
    "Tả Phời", "Bản Vược", "Cốc Mỳ", "Trịnh Tường", "Nậm Chạc", "Bát Xát", "Mường Hum",
    "Quang Kim", "Dền Thàng", "A Mú Sung",
]

# Several phrasings of each request; {p} is the place.
TOPICS: dict[str, list[str]] = {
    "road": [
        "Đề nghị sửa chữa đường liên thôn {p} bị sạt lở sau mưa lũ, xe máy không đi được.",
        "Đường vào thôn {p} sạt lở taluy, đất đá lấp mặt đường, đề nghị khắc phục sớm.",
        "Cử tri thôn {p} kiến nghị bố trí vốn sửa đường bị sạt lở, học sinh đi học nguy hiểm.",
    ],
    "water": [
        "Thôn {p} thiếu nước sạch sinh hoạt vào mùa khô, đề nghị đầu tư công trình cấp nước.",
        "Công trình cấp nước sinh hoạt thôn {p} hỏng đường ống, nhân dân thiếu nước sạch.",
        "Đề nghị hỗ trợ bể chứa nước sạch cho bà con thôn {p}, mùa khô thiếu nước sinh hoạt.",
    ],
    "school": [
        "Điểm trường mầm non thôn {p} xuống cấp, phòng học dột nát, đề nghị xây mới.",
        "Đề nghị xây phòng học kiên cố cho điểm trường thôn {p}, phòng học cũ bị dột.",
        "Điểm trường thôn {p} thiếu phòng học, các cháu học nhờ nhà văn hóa thôn.",
    ],
    "health": [
        "Trạm y tế xã thiếu bác sĩ và thuốc, người dân thôn {p} phải đi xa khám bệnh.",
        "Đề nghị tăng cường bác sĩ, trang thiết bị cho trạm y tế gần thôn {p}.",
    ],
    "power": [
        "Thôn {p} chưa có điện lưới quốc gia, đề nghị sớm kéo điện về thôn.",
        "Nhiều hộ thôn {p} chưa được dùng điện lưới, đề nghị đầu tư trạm biến áp, đường dây.",
    ],
    "land": [
        "Đề nghị đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất cho hộ dân thôn {p}.",
        "Hồ sơ cấp sổ đỏ của bà con thôn {p} nộp đã lâu nhưng chưa được giải quyết.",
    ],
    "irrigation": [
        "Mương thủy lợi thôn {p} bị lũ cuốn trôi, ruộng bậc thang bị ngập lụt, vùi lấp.",
        "Đề nghị hỗ trợ sửa chữa mương thủy lợi thôn {p} để kịp gieo cấy vụ lúa.",
    ],
    "phone": [
        "Thôn {p} chưa có sóng điện thoại di động, đề nghị lắp trạm phát sóng.",
        "Đề nghị nhà mạng phủ sóng điện thoại và internet cho thôn {p}.",
    ],
    "seed": [
        "Đề nghị hỗ trợ giống ngô, giống lúa và phân bón cho hộ nghèo thôn {p}.",
        "Hộ nghèo thôn {p} thiếu giống cây trồng, đề nghị hỗ trợ giống và phân bón.",
    ],
    "bridge": [
        "Cầu treo qua suối thôn {p} bị hư hỏng, đề nghị sửa chữa để bà con qua lại an toàn.",
        "Đề nghị xây cầu qua suối cho thôn {p}, mùa lũ người dân không qua được.",
    ],
    "pension": [
        "Đề nghị xem xét chế độ trợ cấp cho người cao tuổi thôn {p} chưa được hưởng.",
        "Một số người cao tuổi thôn {p} chưa nhận được trợ cấp xã hội, đề nghị rà soát.",
    ],
    "forest": [
        "Đề nghị chi trả kịp thời tiền dịch vụ môi trường rừng cho hộ nhận khoán ở thôn {p}.",
        "Tiền bảo vệ rừng của bà con thôn {p} chậm chi trả, đề nghị giải quyết.",
    ],
}

REMARKS = [
    "", "", "", " Bà con rất mong được quan tâm.", " Việc này đã kiến nghị nhiều lần.",
    " Đề nghị trả lời cho cử tri biết.", " Mong các cấp sớm giải quyết.",
]


def synthetic_petitions(n: int, seed: int = 8) -> list[tuple[str, str, str]]:
    """``n`` petitions ``(id, request key, text)``; the key says which are the same request."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    for k in range(n):
        topic = rng.choice(list(TOPICS))
        place = rng.choice(PLACES)
        text = rng.choice(TOPICS[topic]).format(p=place) + rng.choice(REMARKS)
        if rng.random() < 0.35:  # typed without diacritics
            text = fold(text)
        if rng.random() < 0.2:  # a shorter note taken in a hurry: drop the last clause
            text = text.split(",")[0]
        out.append((f"KN-{k:05d}", topic, text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 petitions instead of 5,000")
    parser.add_argument("--char-ngrams", action="store_true", help="add character 3-grams")
    args = parser.parse_args()
    n = 500 if args.quick else 5000
    petitions = synthetic_petitions(n)
    settings = GroupingSettings(use_char_ngrams=args.char_ngrams)

    started = time.perf_counter()
    groups = propose_groups([(pid, text) for pid, _, text in petitions], settings)
    elapsed = time.perf_counter() - started

    key = {pid: k for pid, k, _ in petitions}
    grouped_with: dict[str, int] = {}
    for g_index, group in enumerate(groups):
        for pid in group.ids:
            grouped_with[pid] = g_index
    # purity: share of grouped petitions whose group's majority request is theirs
    pure = sum(
        Counter(key[p] for p in g.ids).most_common(1)[0][1] for g in groups
    )
    grouped = sum(len(g.ids) for g in groups)
    # recall: share of same-request pairs that ended in the same group
    by_key: dict[str, list[str]] = defaultdict(list)
    for pid, k, _ in petitions:
        by_key[k].append(pid)
    same = together = 0
    for pids in by_key.values():
        for i, a in enumerate(pids):
            for b in pids[i + 1 :]:
                same += 1
                ga, gb = grouped_with.get(a), grouped_with.get(b)
                together += ga is not None and ga == gb
    result = {
        "bench": "search_grouping",
        "petitions": n,
        "quick": args.quick,
        "char_ngrams": args.char_ngrams,
        "group_s": round(elapsed, 3),
        "group_5000_s": None if args.quick else round(elapsed, 3),
        "groups": len(groups),
        "largest_group": max((len(g.ids) for g in groups), default=0),
        "purity": round(pure / grouped, 4) if grouped else None,
        "pair_recall": round(together / same, 4) if same else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

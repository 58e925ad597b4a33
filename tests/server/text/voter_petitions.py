"""Forty voter petitions as a round of voter meetings in Y Tý commune might record them.

Written for the tests: the same requests phrased by different voters and clerks, some typed
without diacritics, one in decomposed Unicode. Each carries the topic a careful clerk would
file it under; singletons are requests nobody else made.
"""

from __future__ import annotations

import unicodedata

# (id, topic, text)
PETITIONS: list[tuple[str, str, str]] = [
    # Roads and landslides
    ("KN-01", "road", "Đề nghị sửa chữa tuyến đường từ trung tâm xã Y Tý đi thôn Lao Chải bị "
     "sạt lở nghiêm trọng sau mưa lũ, xe máy không đi được."),
    ("KN-02", "road", "Cử tri thôn Lao Chải kiến nghị khắc phục sạt lở đường liên thôn Y Tý, "
     "mùa mưa đường bị sạt lở, học sinh đi học rất nguy hiểm."),
    ("KN-03", "road", "de nghi sua duong len Lao Chai, duong bi sat lo nhieu doan, "
     "mua mua xe khong di duoc"),
    ("KN-04", "road", "Đường liên thôn Y Tý – Lao Chải sạt lở taluy dương, đề nghị sớm "
     "giải tỏa đất đá và sửa đường."),
    ("KN-05", "road", "Kien nghi tinh som bo tri von sua chua duong Y Ty di Lao Chai bi sat lo "
     "taluy, nguy hiem cho nguoi di duong."),
    ("KN-06", "road", "Cử tri phản ánh đoạn đường vào thôn Lao Chải sạt lở, đất đá lấp mặt "
     "đường, đề nghị khắc phục."),
    # Clean water
    ("KN-07", "water", "Thôn Sín Chải thiếu nước sạch sinh hoạt vào mùa khô, đề nghị đầu tư "
     "công trình cấp nước sạch tập trung."),
    ("KN-08", "water", "de nghi dau tu cong trinh nuoc sach cho thon Sin Chai, mua kho ba con "
     "thieu nuoc sinh hoat"),
    ("KN-09", "water", "Công trình cấp nước sinh hoạt thôn Sín Chải bị hỏng đường ống, "
     "nhân dân thiếu nước sạch, đề nghị sửa chữa."),
    ("KN-10", "water", "Cử tri đề nghị sửa chữa đường ống dẫn nước sạch về thôn Sín Chải, "
     "mùa khô không có nước sinh hoạt."),
    ("KN-11", "water", "Thieu nuoc sach sinh hoat o thon Sin Chai, de nghi cap tren ho tro "
     "be chua nuoc va duong ong."),
    ("KN-12", "water", "Nhân dân thôn Sín Chải kiến nghị được hỗ trợ bể chứa nước sinh hoạt "
     "hợp vệ sinh vì thiếu nước sạch."),
    # Schools
    ("KN-13", "school", "Điểm trường mầm non thôn Hồng Ngài xuống cấp, phòng học dột nát, đề "
     "nghị xây mới phòng học cho các cháu."),
    ("KN-14", "school", "de nghi xay moi phong hoc diem truong mam non Hong Ngai, phong hoc "
     "hien nay dot nat xuong cap"),
    ("KN-15", "school", "Phòng học điểm trường mầm non Hồng Ngài bị dột khi trời mưa, cử tri "
     "đề nghị sửa chữa, xây mới phòng học."),
    ("KN-16", "school", "Cu tri thon Hong Ngai kien nghi dau tu xay dung phong hoc kien co cho "
     "diem truong mam non, phong hoc cu xuong cap."),
    ("KN-17", "school", "Điểm trường mầm non Hồng Ngài thiếu phòng học, các cháu phải học "
     "nhờ nhà văn hóa thôn, đề nghị xây phòng học mới."),
    # Healthcare
    ("KN-18", "health", "Trạm y tế xã thiếu bác sĩ và thuốc chữa bệnh, đề nghị tăng cường "
     "bác sĩ về trạm y tế."),
    ("KN-19", "health", "tram y te xa Y Ty thieu bac si, nguoi dan phai xuong huyen kham "
     "benh, de nghi bo sung bac si"),
    ("KN-20", "health", "Cử tri đề nghị bổ sung bác sĩ và thuốc cho trạm y tế xã, người "
     "dân ốm đau phải đi xa khám bệnh."),
    ("KN-21", "health", "Trạm y tế xã Y Tý thiếu thuốc, thiếu bác sĩ, đề nghị cấp trên quan "
     "tâm bổ sung."),
    ("KN-22", "health", "Đề nghị tăng cường bác sĩ, trang thiết bị khám chữa bệnh cho trạm "
     "y tế xã Y Tý."),
    # Electricity
    ("KN-23", "power", "Thôn Phìn Hồ chưa có điện lưới quốc gia, đề nghị sớm kéo điện lưới "
     "về thôn."),
    ("KN-24", "power", "de nghi keo dien luoi quoc gia ve thon Phin Ho, ba con van chua co "
     "dien"),
    ("KN-25", "power", "Cử tri thôn Phìn Hồ kiến nghị đầu tư đường điện lưới quốc gia, nhiều "
     "hộ chưa có điện sinh hoạt."),
    ("KN-26", "power", "Nhiều hộ dân thôn Phìn Hồ vẫn chưa được sử dụng điện lưới, đề nghị "
     "ngành điện kéo điện về thôn."),
    ("KN-27", "power", "Dien luoi quoc gia chua ve thon Phin Ho, de nghi nganh dien dau tu "
     "tram bien ap va duong day."),
    # Land titles
    ("KN-28", "land", "Đề nghị đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất cho các hộ "
     "dân thôn Ngải Thầu."),
    ("KN-29", "land", "Nhiều hộ thôn Ngải Thầu đã làm hồ sơ lâu nhưng chưa được cấp giấy "
     "chứng nhận quyền sử dụng đất (sổ đỏ)."),
    ("KN-30", "land", "de nghi cap giay chung nhan quyen su dung dat cho ba con thon Ngai "
     "Thau, ho so nop da lau"),
    ("KN-31", "land", "Cử tri phản ánh việc cấp giấy chứng nhận quyền sử dụng đất ở Ngải "
     "Thầu chậm, đề nghị giải quyết sớm."),
    ("KN-32", "land", "Thủ tục cấp sổ đỏ, giấy chứng nhận quyền sử dụng đất còn chậm, đề "
     "nghị xã hướng dẫn bà con thôn Ngải Thầu."),
    # Irrigation and flooding
    ("KN-33", "flood", "Ruộng bậc thang thôn Tả Gú bị ngập lụt, vùi lấp sau mưa lũ, đề nghị "
     "hỗ trợ khôi phục mương thủy lợi."),
    ("KN-34", "flood", "Mương thủy lợi thôn Tả Gú bị lũ cuốn trôi, ruộng bị ngập lụt, đề "
     "nghị sửa chữa mương."),
    ("KN-35", "flood", "de nghi sua muong thuy loi thon Ta Gu bi hu hong do mua lu, ruong bi "
     "ngap lut"),
    ("KN-36", "flood", "Cử tri thôn Tả Gú kiến nghị hỗ trợ sửa chữa mương thủy lợi bị hư hỏng "
     "sau lũ để kịp vụ lúa."),
    # Requests nobody else made
    ("KN-37", "single", "Đề nghị lắp đặt trạm phát sóng điện thoại di động, thôn Túng Sán "
     "chưa có sóng."),
    ("KN-38", "single", "Đề nghị hỗ trợ giống ngô, giống lúa và phân bón cho hộ nghèo."),
    ("KN-39", "single", "Cử tri đề nghị có chính sách bảo tồn nhà trình tường của đồng bào "
     "Hà Nhì."),
    ("KN-40", "single", "Đề nghị tổ chức lớp dạy nghề trồng thảo quả, chăn nuôi cho thanh "
     "niên."),
]

# One petition arrives in decomposed Unicode, as some phone keyboards send it.
PETITIONS[6] = (PETITIONS[6][0], PETITIONS[6][1], unicodedata.normalize("NFD", PETITIONS[6][2]))

TOPIC = {pid: topic for pid, topic, _ in PETITIONS}

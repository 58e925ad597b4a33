"""Failures of enrolment, device requests and pack building, as problem+json codes."""

from __future__ import annotations

from server.errors import Conflict, Forbidden, Gone, Invalid, NotAuthenticated, NotFound


class EnrolmentCodeInvalid(NotFound):
    code = "enrolment_code_invalid"
    message_vi = "Mã đăng ký thiết bị không đúng."
    message_en = "The device enrolment code is not valid."


class EnrolmentCodeExpired(Gone):
    code = "enrolment_code_expired"
    message_vi = "Mã đăng ký thiết bị đã hết hạn. Hãy xin Văn phòng cấp mã mới."
    message_en = "The device enrolment code has expired. Ask the office for a new one."


class EnrolmentCodeUsed(Conflict):
    code = "enrolment_code_used"
    message_vi = "Mã đăng ký thiết bị đã được dùng. Mỗi mã chỉ dùng một lần."
    message_en = "The device enrolment code has already been used. Each code works once."


class DeviceKeyInUse(Conflict):
    code = "device_key_in_use"
    message_vi = "Khóa công khai này đã được một thiết bị khác dùng."
    message_en = "This public key is already used by another device."


class DeviceAuthFailed(NotAuthenticated):
    code = "device_auth_failed"
    message_vi = "Yêu cầu từ thiết bị không có chữ ký hợp lệ."
    message_en = "The device request is not validly signed."


class DeviceClockSkew(DeviceAuthFailed):
    code = "device_clock_skew"
    message_vi = "Đồng hồ của thiết bị lệch quá 5 phút so với máy chủ. Hãy chỉnh giờ."
    message_en = "The device clock is more than 5 minutes off the server's. Set the time."


class DeviceRequestReplayed(DeviceAuthFailed):
    code = "device_request_replayed"
    message_vi = "Yêu cầu này đã được gửi trước đó; đã từ chối."
    message_en = "This request was already received once; refused."


class DeviceRevoked(Forbidden):
    code = "device_revoked"
    message_vi = "Thiết bị này đã bị thu hồi. Hãy liên hệ Văn phòng HĐND."
    message_en = "This device has been revoked. Contact the council office."


class DeviceRenumbered(Conflict):
    """The device's council moved into this deployment beside others and every id moved
    with it; the answer carries the device's new id and each table's shift so the tablet
    renames what it keeps (docs/operations.md, "Moving a commune beside others")."""

    code = "device_renumbered"
    message_vi = ("Hội đồng nhân dân của máy này đã chuyển lên hệ thống mới; máy tự cập nhật "
                  "số hiệu rồi làm tiếp.")
    message_en = ("This device's council moved to a new system; the device updates its "
                  "numbers and carries on.")


class NoWipeOrder(Conflict):
    code = "no_wipe_order"
    message_vi = "Không có lệnh xóa dữ liệu nào cho thiết bị này."
    message_en = "There is no wipe order for this device."


class SessionNotPublished(Conflict):
    code = "session_not_published"
    message_vi = "Kỳ họp chưa được công bố; chưa thể tạo gói tài liệu."
    message_en = "The session is not published; no pack can be built yet."


class PackBuildRunning(Conflict):
    code = "pack_build_running"
    message_vi = "Đang tạo một phiên bản gói tài liệu cho kỳ họp này; hãy chờ xong."
    message_en = "A pack version is already being built for this session; wait for it."


class NoPackYet(NotFound):
    code = "pack_not_published"
    message_vi = "Kỳ họp chưa có gói tài liệu nào được phát hành."
    message_en = "No agenda pack has been published for this session yet."


class BlobNotGranted(Forbidden):
    code = "pack_blob_not_granted"
    message_vi = "Thiết bị này không được cấp khóa cho tài liệu này."
    message_en = "This device holds no key for this document."


class PackVersionUnknown(Invalid):
    code = "pack_version_unknown"
    message_vi = "Phiên bản gói tài liệu không tồn tại."
    message_en = "No such pack version."

"""Why the store refused: each error carries its message in Vietnamese and in English."""

from __future__ import annotations

from datetime import datetime

from atlas.store.clock import shown_time


class StoreError(RuntimeError):
    """A refused store operation, with a Vietnamese and an English message."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi = vi
        self.en = en
        super().__init__(f"{vi} / {en}")

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


class StaleScenarioError(StoreError):
    """The scenario was saved (or deleted) by someone else since this copy was loaded."""

    def __init__(
        self,
        scenario_id: str,
        name: str,
        expected: int,
        current: int | None,
        who: str | None = None,
        at: datetime | None = None,
        deleted: bool = False,
    ) -> None:
        self.scenario_id = scenario_id
        self.expected = expected
        self.current = current
        self.who = who
        self.at = at
        self.deleted = deleted
        by_vi = f" bởi {who}" if who else ""
        by_en = f" by {who}" if who else ""
        when = f" ({shown_time(at)})" if at else ""
        if deleted:
            vi = f"Kịch bản “{name}” đã bị xoá{by_vi}{when}. Thay đổi của bạn chưa được lưu."
            en = f"Scenario “{name}” was deleted{by_en}{when}. Your changes were not saved."
        else:
            vi = (
                f"Kịch bản “{name}” đã được lưu{by_vi}{when} (phiên bản {current}) sau khi bạn "
                f"mở bản {expected}. Thay đổi của bạn chưa được lưu và bản của người kia được "
                "giữ nguyên: hãy tải lại kịch bản rồi sửa lại."
            )
            en = (
                f"Scenario “{name}” was saved{by_en}{when} (version {current}) after you opened "
                f"version {expected}. Your changes were not saved and theirs are kept: reload "
                "the scenario and make your changes again."
            )
        super().__init__(vi, en)


class ScenarioNotFoundError(StoreError, KeyError):
    def __init__(self, scenario_id: str) -> None:
        super().__init__(
            f"Không có kịch bản đã lưu mã “{scenario_id}”.",
            f"No saved scenario with id “{scenario_id}”.",
        )


class SchemaTooNewError(StoreError):
    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"Cơ sở dữ liệu có lược đồ phiên bản {found}, mới hơn phiên bản {known} mà ứng dụng "
            "này biết: hãy cập nhật ứng dụng.",
            f"The database schema is version {found}, newer than version {known} this app "
            "knows: update the app.",
        )


class DatabaseUnavailable(StoreError):
    """The database cannot be used: where it is, what happened and what to do, in both
    languages; the app then opens read-only (packs, maps, exports) and writes nothing."""

    def __init__(self, where: str, kind: str, detail: str = "") -> None:
        self.where = where
        self.kind = kind
        self.detail = detail
        what_vi, what_en = {
            "empty": ("là tệp rỗng (0 byte), có thể do sao chép hỏng",
                      "is an empty file (0 bytes), perhaps a failed copy"),
            "not_sqlite": ("không phải cơ sở dữ liệu SQLite (tệp khác bị đặt vào chỗ này?)",
                           "is not a SQLite database (another file put in its place?)"),
            "not_a_file": ("là một thư mục, không phải tệp", "is a folder, not a file"),
            "corrupt": ("bị hỏng, không đọc được", "is damaged and cannot be read"),
            "unreachable": ("không kết nối được", "cannot be reached"),
        }[kind]  # fmt: skip
        tail_vi = f" ({detail})" if detail else ""
        super().__init__(
            f"Cơ sở dữ liệu {where} {what_vi}{tail_vi}. Ứng dụng chỉ mở để xem: bản đồ, chỉ "
            "tiêu, trình chiếu và xuất tệp vẫn dùng được, nhưng không lưu được kịch bản, góc "
            "nhìn hay dữ liệu nhập. Cách xử lý: khôi phục bản sao lưu vào đúng đường dẫn này "
            "(python -m atlas backup tạo bản sao lưu), hoặc đổi tên tệp này để ứng dụng tạo cơ "
            "sở dữ liệu mới, rồi tải lại trang. Tệp không bị ghi đè.",
            f"The database {where} {what_en}{tail_vi}. The app is open read-only: maps, "
            "targets, presenting and exports work, but scenarios, views and imports cannot be "
            "saved. What to do: restore a backup to this path (python -m atlas backup makes "
            "one), or rename this file so that the app starts a new database, then reload the "
            "page. The file has not been overwritten.",
        )

"""Bodies gazetteer: names with commas inside stay whole, lists split into bodies."""

from __future__ import annotations

import time

import pytest

from pipeline.nlp.bodies import find_bodies, known_spelling, split_bodies, starts_with_body


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "Sở Nội vụ, Sở Tư pháp và các cơ quan, đơn vị, địa phương",
            ["Sở Nội vụ", "Sở Tư pháp", "các cơ quan, đơn vị, địa phương"],
        ),
        ("Sở Tư pháp; UBND các xã, phường, đặc khu", ["Sở Tư pháp", "UBND các xã, phường, đặc khu"]),
        (
            "Cơ quan thuế, các đơn vị cấp tỉnh, các địa phương",
            ["Cơ quan thuế", "các đơn vị cấp tỉnh", "các địa phương"],
        ),
        ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
        ("Các sở, ban, ngành và địa phương", ["Các sở, ban, ngành và địa phương"]),
        (
            "Báo và Phát thanh, Truyền hình Lâm Đồng, Sở Văn hóa, Thể thao và Du lịch",
            ["Báo và Phát thanh, Truyền hình Lâm Đồng", "Sở Văn hóa, Thể thao và Du lịch"],
        ),
        (
            "Thủ trưởng các sở, ban, ngành và Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu",
            ["Thủ trưởng các sở, ban, ngành", "Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu"],
        ),
        ("Văn phòng UBND tỉnh (Trung tâm Thông tin)", ["Văn phòng UBND tỉnh (Trung tâm Thông tin)"]),
        (
            "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh",
            ["Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"],
        ),
        (
            "Đề nghị Viện kiểm sát nhân dân tối cao, Tòa án nhân dân tối cao"
            " (theo chức năng, nhiệm vụ được giao)",
            ["Viện kiểm sát nhân dân tối cao", "Tòa án nhân dân tối cao"],
        ),
        ("Lãnh đạo\nSở Nội vụ", ["Lãnh đạo Sở Nội vụ"]),
        ("Sở Tư pháp;\nSở Tài chính.", ["Sở Tư pháp", "Sở Tài chính"]),
        # a long name wrapped inside its cell stays one body; a list inside one name stays whole
        ("Văn\nphòng UB MTTQ tỉnh", ["Văn phòng UB MTTQ tỉnh"]),
        ("Các Sở, ban, ngành\nthành phố Hà Nội", ["Các Sở, ban, ngành thành phố Hà Nội"]),
        ("Sở Tư pháp; Sở, ban, ngành liên quan", ["Sở Tư pháp", "Sở, ban, ngành liên quan"]),
        ("Sở Tư pháp\nvà Sở Tài chính", ["Sở Tư pháp", "Sở Tài chính"]),
        ("Sở Tư pháp\ncác sở, ngành", ["Sở Tư pháp", "các sở, ngành"]),
        # cells of a scanned national plan: a request on a line of its own, a remark OCR garbled
        (
            "Ngân hàng Nhà nước\nViệt Nam\nĐề nghị Viện kiểm\nsát nhân dân tối cao",
            ["Ngân hàng Nhà nước Việt Nam", "Viện kiểm sát nhân dân tối cao"],
        ),
        ("Bộ Dân tộc và\nTôn giáo\n(theo chức năng,\nnhiệm vụ\nđược øiao)", ["Bộ Dân tộc và Tôn giáo"]),
        ("Sở Khoa học-Công nghệ và Môi trường", ["Sở Khoa học-Công nghệ và Môi trường"]),
        # a name wrapped after a word it goes on from, or inside a symbol cut after its hyphen
        (
            "Cơ quan quản lý cấp trên; đơn vị sự nghiệp công lập trực thuộc\nUBND tỉnh",
            ["Cơ quan quản lý cấp trên", "đơn vị sự nghiệp công lập trực thuộc UBND tỉnh"],
        ),
        (
            "Theo phân công tại Phương án số 7178/PA-\nUBND ngày 14/11/2025 của\nUBND tỉnh",
            ["Theo phân công tại Phương án số 7178/PA-UBND ngày 14/11/2025 của UBND tỉnh"],
        ),
        ("", []),
    ],
)
def test_split_bodies(cell: str, expected: list[str]) -> None:
    assert split_bodies(cell) == expected


def test_find_bodies_extends_names_with_places_from_the_admin_unit_tables() -> None:
    text = (
        "Sở Tư pháp tỉnh Lâm Đồng phối hợp UBND huyện Lạc Dương, Ủy ban nhân dân phường Xuân Hương - Đà Lạt"
    )
    names = [name for _, _, name in find_bodies(text)]
    assert names == [
        "Sở Tư pháp tỉnh Lâm Đồng",
        "UBND huyện Lạc Dương",  # legacy district
        "Ủy ban nhân dân phường Xuân Hương - Đà Lạt",  # 2025 commune
    ]


def test_find_bodies_spans_point_into_the_text_and_fold_tone_marks() -> None:
    text = "Giao Uỷ ban nhân dân các xã, phường, đặc khu chủ trì"
    [(start, end, name)] = find_bodies(text)
    assert text[start:end] == name == "Uỷ ban nhân dân các xã, phường, đặc khu"


def test_head_words_keep_their_diacritics() -> None:
    assert starts_with_body("Sở Nội vụ chủ trì")
    assert not starts_with_body("Số lượng hồ sơ: 02 bộ")
    assert not starts_with_body("Tổ chức Cuộc thi tìm hiểu")
    assert not starts_with_body("Báo cáo UBND tỉnh kết quả")


def test_matching_is_fast_after_the_first_load() -> None:
    split_bodies("Sở Nội vụ")
    started = time.perf_counter()
    for _ in range(200):
        split_bodies("Sở Tư pháp; Văn phòng UBND tỉnh; UBND các xã, phường, đặc khu")
    assert time.perf_counter() - started < 2.0


def test_spans_point_into_text_with_leading_and_repeated_white_space() -> None:
    text = "  Giao  Sở Nội vụ\n\nchủ trì"
    [(start, end, name)] = find_bodies(text)
    assert text[start:end] == name == "Sở Nội vụ"


def test_overlapping_phrases_keep_the_longest() -> None:
    text = "Ủy ban nhân dân tỉnh Lâm Đồng và Sở Nội vụ"
    assert [name for _, _, name in find_bodies(text)] == ["Ủy ban nhân dân tỉnh Lâm Đồng", "Sở Nội vụ"]


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("Bô Ouốc phòng", "Bộ Quốc phòng"),  # two letters a scan misread
        ("Viện kiêm sát nhân dân tối cao", "Viện kiểm sát nhân dân tối cao"),  # a mark
        (
            "Ủy ban Công tác về các tổ chức phi Chính phủ Tước ngoài",
            "Ủy ban Công tác về các tổ chức phi chính phủ nước ngoài",
        ),
        ("Sở Dân tộc và Tôn giáo", "Sở Dân tộc và Tôn giáo"),  # not the ministry: another first word
        ("BộCôngTI", "BộCôngTI"),  # too far from any name: left as read
        ("Các bộ, ngành liên quan", "Các bộ, ngành liên quan"),
    ],
)
def test_known_spelling_of_a_scanned_body(read: str, expected: str) -> None:
    assert known_spelling(read) == expected

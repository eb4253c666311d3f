from broadsheet import data


def test_numeric_columns_are_typed_and_text_stays_text():
    dataset, problems = data.parse_csv(b"who,rate,year\nSama,1.5,2022\nNBC,15,2023\n", "d.csv", "d")
    assert problems == []
    assert dataset.columns == ("who", "rate", "year")
    assert dict(dataset.rows[0]) == {"who": "Sama", "rate": 1.5, "year": 2022}


def test_byte_order_mark_is_accepted():
    dataset, problems = data.parse_csv("\ufeffa,b\n1,2\n".encode("utf-8"), "d.csv", "d")
    assert problems == [] and dataset.columns == ("a", "b")


def test_not_utf8_names_the_line():
    _, problems = data.parse_csv(b"a,b\n1,2\n3,caf\xe9\n", "d.csv", "d")
    assert (problems[0].code, problems[0].location.line) == ("csv-encoding", 3)


def test_ragged_empty_and_header_problems():
    assert data.parse_csv(b"a,b\n1,2,3\n", "d.csv", "d")[1][0].code == "csv-ragged"
    assert data.parse_csv(b"", "d.csv", "d")[1][0].code == "csv-empty"
    assert data.parse_csv(b"a,b\n", "d.csv", "d")[1][0].code == "csv-empty"
    assert data.parse_csv(b"a,a\n1,2\n", "d.csv", "d")[1][0].code == "csv-header"


def test_csv_over_50_mb_is_refused_before_it_is_read():
    raw = b"a,b\n" + b"1,2\n" * (50 * 1024 * 1024 // 4 + 1)
    dataset, problems = data.parse_csv(raw, "d.csv", "d")
    assert dataset is None and problems[0].code == "csv-too-large" and problems[0].location.line == 1


def test_rows_are_read_by_columns_and_made_when_read():
    dataset, _ = data.parse_csv(b"who,rate\nA,1\nB,2.5\nC,\n", "data/p.csv", "p")
    assert len(dataset.rows) == 3
    assert dataset.rows.columns_data == [["A", "B", "C"], [1, 2.5, None]]
    assert [dict(row) for row in dataset.rows] == [{"who": "A", "rate": 1}, {"who": "B", "rate": 2.5},
                                                   {"who": "C", "rate": None}]
    assert dict(dataset.rows[-1]) == {"who": "C", "rate": None}
    assert [dict(r) for r in dataset.rows[:2]] == [{"who": "A", "rate": 1}, {"who": "B", "rate": 2.5}]

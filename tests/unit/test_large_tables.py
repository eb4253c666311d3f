"""Where a chart's rows go: inline when few, a CSV file (with the types Vega must read back) when many."""
from broadsheet.charts import large_tables


def spec(values, **entry):
    return {"data": [{"name": "source_0", "values": values, **entry}],
            "marks": [{"type": "symbol", "from": {"data": "source_0"}},
                      {"type": "group", "data": [{"name": "inner", "values": values}], "marks": []}]}


def test_few_rows_stay_inline():
    vega = spec([{"a": 1}, {"a": 2}])
    placement = large_tables.place(vega, "c", 500)
    assert placement.page == vega and placement.static == vega and placement.files == ()
    assert placement.drawn_rows == 2


def test_many_rows_become_a_content_named_csv_read_back_with_their_types():
    rows = [{"n": i, "x": i / 2, "flag": i % 2 == 0, "label": f"r,{i}" if i else None} for i in range(600)]
    placement = large_tables.place(spec(rows), "nuage", 500)
    (path, content), (inner_path, _) = placement.files
    assert path.startswith("data/nuage-1.") and path.endswith(".csv") and inner_path.startswith("data/nuage-2.")
    text = content.decode()
    assert text.splitlines()[:3] == ["n,x,flag,label", "0,0.0,true,", '1,0.5,false,"r,1"']
    page = placement.page["data"][0]
    assert page == {"name": "source_0", "url": path,
                    "format": {"type": "csv", "parse": {"flag": "boolean", "n": "number", "x": "number"}}}
    static = placement.static["data"][0]
    assert static["values"] == text and static["format"] == page["format"]  # drawn from the same bytes
    assert placement.static["marks"][1]["data"][0]["values"] == placement.files[1][1].decode()
    assert placement.drawn_rows == 600


def test_same_rows_same_file_name():
    rows = [{"a": i} for i in range(501)]
    assert large_tables.place(spec(rows), "c", 500).files == large_tables.place(spec(list(rows)), "c", 500).files


def test_rows_holding_objects_go_to_json():
    rows = [{"a": [i, i]} for i in range(501)]
    placement = large_tables.place(spec(rows), "c", 500)
    assert placement.files[0][0].endswith(".json") and placement.page["data"][0]["format"] == {"type": "json"}

"""The shortcuts recognition takes for speed give the answers the plain way gives:
caches keyed by a cell's content, and the hand-written constructors of Cell and CellRef."""

from __future__ import annotations

import inspect
import pickle
from dataclasses import MISSING, fields, replace
from decimal import Decimal

from budgetkit.load.tables import _read, _reading
from budgetkit.model import Cell, CellRef, SheetGrid, pack
from budgetkit.money import is_figure


def test_cell_and_cellref_constructors_take_every_field_with_its_default():
    for cls in (Cell, CellRef):
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
        assert [p.name for p in parameters] == [f.name for f in fields(cls)]
        assert [p.default for p in parameters] == [
            inspect.Parameter.empty if f.default is MISSING else f.default for f in fields(cls)]


def test_a_cell_made_by_keyword_or_replaced_equals_one_made_by_position():
    ref = CellRef(file="a.xlsx", sheet="表1", cell="C5")
    cell = Cell(Decimal("1.50"), ref, 2)
    assert cell == Cell(value=Decimal("1.50"), ref=CellRef("a.xlsx", "表1", "C5"), decimals=2, unreadable=None)
    assert hash(cell) == hash(Cell(Decimal("1.50"), ref))
    assert replace(cell, unstated=True).unstated and not cell.unstated
    assert (cell.unreadable, cell.unstated) == (None, False)


def test_a_cached_reading_is_the_reading_of_that_content():
    for raw in (31.78, 145.57999999999998, 30.0, -0.0, "-", "", "12.5%", "1l.31", "（12.00）", "合计"):
        assert _reading(raw) == _read(raw)
        assert _reading(raw) == _reading(raw)


def test_equal_numbers_of_different_types_are_read_apart():
    assert _reading(1.0).value == Decimal(1)
    assert _reading(True).value is None  # a TRUE cell is no figure, though True == 1.0
    assert _reading(1.5) != _reading("1.5%")


def test_a_long_text_is_read_as_a_short_one_is():
    note = "注：" + "本表反映部门本年度收支情况。" * 10
    assert _reading(note) == _read(note)
    assert not is_figure(note) and is_figure("1,234.56") and not is_figure("合计")


def test_each_packed_sheet_unpacks_to_its_own_values_whatever_is_packed_beside_it():
    small = SheetGrid("收入决算表", [["合计", 1.5, "-"], ["", None, 3]], [(0, 0, 0, 1)])
    long = SheetGrid("支出决算表", [[f"2010{i}", f"名称{i}", i * 1.25] for i in range(60_000)], [])
    other = SheetGrid("三公", [["预算数", 0.0]], [])
    packed = pack([small, long, other])
    assert list(packed) == ["收入决算表", "支出决算表", "三公"]
    assert all(packed[sheet.name].unpack() == sheet for sheet in (small, long, other))
    assert packed["支出决算表"].data is not packed["收入决算表"].data  # a long sheet is compressed apart
    assert pickle.loads(pickle.dumps(packed))["三公"].unpack() == other

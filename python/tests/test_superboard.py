"""The superboard Python module: a machine driven from Python, and batch grading."""

import pytest

import superboard


@pytest.fixture
def basic():
    """A machine at BASIC's OK prompt."""
    machine = superboard.Machine(ram=8)
    machine.boot()
    return machine


def test_power_on_shows_the_monitor_prompt():
    machine = superboard.Machine()
    assert machine.run(seconds=0.5)
    assert "C/W/M ?" in machine.screen()
    assert len(machine.screen().splitlines()) == 24
    assert len(machine.screen(full=True).splitlines()) == 32
    assert machine.cycles >= 0.5 * superboard.CPU_CLOCK_HZ


def test_a_program_runs_until_its_output(basic):
    basic.type('10 FOR I=1 TO 3\n20 PRINT "LINE";I\n30 NEXT\n')
    basic.type("RUN\n")
    assert basic.run(until="LINE 3")
    assert basic.output().startswith("\nLINE 1 \nLINE 2 \nLINE 3")
    assert basic.run(until_prompt=True)
    assert "LINE 3" in basic.screen()


def test_until_ignores_the_typed_text(basic):
    # The typed line holds DONE; only the program's own output counts.
    basic.type('PRINT "DO";"NE"\n')
    assert basic.run(until="DONE")
    assert basic.output() == "\nDONE\n" or basic.output().startswith("\nDONE")


def test_run_gives_up_at_its_limit(basic):
    basic.type("10 GOTO 10\nRUN\n")
    start = basic.cycles
    assert not basic.run(until="NEVER", seconds=0.2)
    assert basic.cycles - start >= 0.2 * superboard.CPU_CLOCK_HZ
    assert not basic.run(until_prompt=True, cycles=20_000)


def test_peek_and_poke(basic):
    basic.poke(0x0300, 0xA5)
    assert basic.peek(0x0300) == 0xA5
    basic.type("PRINT PEEK(768)\n")
    assert basic.run(until_prompt=True)
    assert "165" in basic.output()
    # The screen is memory too: $D000 is video RAM.
    basic.poke(0xD000 + 32 * 5 + 10, ord("Z"))
    assert basic.screen(full=True).splitlines()[5][10] == "Z"


def test_a_jam_is_visible(basic):
    basic.type("POKE 768,2:POKE 11,0:POKE 12,3:X=USR(0)\n")
    assert not basic.run(until_prompt=True, seconds=5)
    assert basic.jam_address == 0x0300
    basic.press_break()
    assert basic.run(seconds=0.5)
    assert basic.jam_address is None


def test_load_tape_from_bytes_and_from_a_file(basic, tmp_path):
    basic.load_tape(b'10 PRINT "FROM BYTES"\n', name="prog.bas")
    basic.type("LOAD\n")
    assert basic.run(seconds=3)
    basic.type(" \nRUN\n")
    assert basic.run(until="FROM BYTES")

    listing = tmp_path / "file.bas"
    listing.write_text('10 PRINT "FROM A FILE"\n')
    machine = superboard.Machine()
    machine.boot()
    machine.load_tape(str(listing))
    machine.type("LOAD\n")
    assert machine.run(seconds=3)
    machine.type(" \nRUN\n")
    assert machine.run(until="FROM A FILE")


def test_bad_input_raises_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="ram=16"):
        superboard.Machine(ram=16)
    machine = superboard.Machine()
    with pytest.raises(ValueError, match="'{'"):
        machine.type("PRINT {")
    with pytest.raises(ValueError):
        machine.run()
    with pytest.raises(OSError, match="missing.bas"):
        machine.load_tape(str(tmp_path / "missing.bas"))
    with pytest.raises(ValueError):
        machine.load_tape(b"", name="empty.bas")


def test_batch_grades_programs_in_order():
    jobs = [
        {"id": "ok", "program": "10 PRINT 6*7\n"},
        {"id": "syntax", "program": "10 PRINT (\n"},
        {"id": "loop", "program": "10 GOTO 10\n", "max_seconds": 0.1},
        '{"id": "json", "program": "10 INPUT A\\n20 PRINT A+1\\n", "input": "41\\n"}',
        "not json",
    ]
    results = superboard.batch(jobs, threads=2)
    assert [r["end"] for r in results] == ["finished", "error", "time_limit", "finished", "invalid"]
    assert results[0]["output"] == " 42 \n"
    assert results[1]["error"] == {"code": "SN", "line": 10}
    assert results[3]["output"] == "? 41\n 42 \n"
    assert results[4]["line"] == 5
    again = superboard.batch(jobs, threads=1)
    for one, other in zip(results, again):
        one.pop("wall_ms", None)
        other.pop("wall_ms", None)
        assert one == other


def test_save_state_and_load_state(basic):
    basic.type("10 PRINT 5*5\n")
    assert basic.run(seconds=1)  # a numbered line gets no OK
    state = basic.save_state()
    assert isinstance(state, bytes)
    other = superboard.Machine()
    other.load_state(state)
    other.type("RUN\n")
    assert other.run(until_prompt=True)
    assert "25" in other.output()
    with pytest.raises(ValueError):
        other.load_state(b"not a snapshot")

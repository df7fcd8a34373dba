"""Text stays text in a terminal: control characters from a file are shown, not sent."""

from __future__ import annotations


def test_the_cli_shows_control_characters_from_a_file_instead_of_sending_them(capsys) -> None:
    from cli.printable import printable

    assert printable("Xã \x1b[2JTân An\n\tok") == "Xã \\x1b[2JTân An\n\tok"
    from cli.main import main

    assert main(["list"]) == 0
    assert "\x1b" not in capsys.readouterr().out

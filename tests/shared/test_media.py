import pytest

from shared.media import sniff_mime


@pytest.mark.parametrize("head, mime", [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
    (b"%PDF-1.7\n", "application/pdf"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
    (b"OggS\x00\x02", "audio/ogg"),
    (b"#!AMR\n", "audio/amr"),
    (b"\x00\x00\x00\x20ftypM4A ", "audio/mp4"),
    (b"ID3\x04\x00", "audio/mpeg"),
    (b"GIF89a", None),
    (b"<html>", None),
    (b"", None),
])
def test_type_comes_from_the_bytes(head, mime):
    assert sniff_mime(head) == mime

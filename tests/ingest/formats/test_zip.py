import zipfile

import pytest

from ingest.errors import Unreadable


def test_zip_members_become_children(read, samples) -> None:
    extraction = read("bundle.zip", samples.zip({"a.txt": b"alpha", "docs/b.txt": b"beta", "docs/": b""}))
    assert [(c.name, c.data) for c in extraction.children] == [("a.txt", b"alpha"), ("docs/b.txt", b"beta")]
    assert extraction.text == "a.txt (5 bytes)\ndocs/b.txt (4 bytes)"
    assert extraction.processed_by[0] == "zip.v1"


@pytest.mark.parametrize("name", ["../../x", "/tmp/x", "C:/Windows/x", "a/../../x", "..\\x"])
def test_zip_unsafe_paths_are_skipped_and_listed(read, samples, name: str) -> None:
    extraction = read("bad.zip", samples.zip({name: b"escape", "fine.txt": b"ok"}))
    assert [c.name for c in extraction.children] == ["fine.txt"]
    assert f"{name}: skipped, unsafe path" in extraction.text


def test_zip_high_ratio_member_fails_the_archive(read, samples) -> None:
    data = samples.zip({"fine.txt": b"ok", "zeros.bin": bytes(5 << 20)})
    with pytest.raises(Unreadable, match=r"zip bomb: zeros.bin has a compression ratio of [\d,]+:1"):
        read("bomb.zip", data)


def test_zip_small_compressible_member_is_not_a_bomb(read, samples) -> None:
    assert len(read("ok.zip", samples.zip({"spaces.txt": b" " * 100_000})).children) == 1


def test_zip_member_over_size_limit_is_skipped(read, samples) -> None:
    data = samples.zip({"big.bin": bytes(range(256)) * 20, "small.txt": b"ok"}, zipfile.ZIP_STORED)
    extraction = read("a.zip", data, max_child_bytes=1000)
    assert [c.name for c in extraction.children] == ["small.txt"]
    assert "big.bin: skipped, 5,120 bytes is over the 1,000-byte limit for one member" in extraction.text


def test_zip_too_many_members_fails(read, samples) -> None:
    with pytest.raises(Unreadable, match="has 3 members, over the limit of 2"):
        read("many.zip", samples.zip({f"{i}.txt": b"x" for i in range(3)}), max_members=2)


def test_zip_total_expansion_limit(read, samples) -> None:
    data = samples.zip({"a.txt": b"a" * 600, "b.txt": b"b" * 600})
    with pytest.raises(Unreadable, match="expands to 1,200 bytes, over the limit of 1,000"):
        read("a.zip", data, max_expanded_bytes=1000)


def test_zip_encrypted_member_is_noted(read, samples) -> None:
    data = bytearray(samples.zip({"secret.txt": b"ciphertext", "open.txt": b"plain"}))
    data[6] |= 0x1                                         # first local header: encrypted
    data[data.index(b"PK\x01\x02") + 8] |= 0x1            # first directory entry: encrypted
    extraction = read("locked.zip", bytes(data))
    assert [c.name for c in extraction.children] == ["open.txt"]
    assert "secret.txt: skipped, encrypted, password required" in extraction.text


def test_zip_corrupt_archive(read, samples) -> None:
    data = samples.zip({"a.txt": b"alpha" * 100})
    with pytest.raises(Unreadable, match=r"corrupt ZIP archive"):
        read("cut.zip", data[: len(data) // 2])

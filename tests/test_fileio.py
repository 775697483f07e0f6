import os

from claimaudit.fileio import write_if_changed


def test_write_if_changed_compares_bytes_and_memoryview_chunks(tmp_path):
    path = tmp_path / "out.csv"
    data = b"id,source\n" + b"".join(b"c%d,doc.txt\n" % i for i in range(500))
    view = memoryview(data)
    chunks = [view[:10], bytes(view[10:4000]), view[4000:]]  # rows copied from a pack come as memoryviews
    assert write_if_changed(path, chunks) is True and path.read_bytes() == data
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert write_if_changed(path, chunks) is False and path.stat().st_mtime == 1_000_000_000
    edited = bytearray(data)
    edited[-2] = ord("x")  # same size, one byte differs, in a memoryview chunk
    assert write_if_changed(path, [memoryview(bytes(edited))]) is True and path.read_bytes() == bytes(edited)
    assert write_if_changed(path, [data, b"more\n"]) is True and path.read_bytes() == data + b"more\n"

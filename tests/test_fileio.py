import errno
import os
import stat

import pytest

from claimaudit.fileio import Retired, write_if_changed


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


def test_the_files_outputs_replace_are_removed_in_the_background_and_leave_nothing(tmp_path):
    path = tmp_path / "report.json"
    path.write_bytes(b"old report\n")
    os.chmod(path, 0o640)
    with open(path, "rb") as reader:  # a reader of the old report keeps reading it whole
        old_inode = os.fstat(reader.fileno()).st_ino
        with Retired() as retired:
            assert write_if_changed(path, [b"new ", memoryview(b"report\n")], retired=retired) is True
            assert write_if_changed(tmp_path / "claims.csv", [b"id\n"], retired=retired) is True  # a new file: nothing to remove
        assert reader.read() == b"old report\n"
        assert os.fstat(reader.fileno()).st_nlink == 0  # removed: no name of the old report is left
    assert path.read_bytes() == b"new report\n" and os.stat(path).st_ino != old_inode
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # permissions kept, as without Retired
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.csv", "report.json"]  # no hidden file left


def test_without_hard_links_the_rename_removes_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "report.txt"
    path.write_bytes(b"old\n")

    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "hard links not supported")

    monkeypatch.setattr(os, "link", no_links)
    with Retired() as retired:
        assert write_if_changed(path, [b"new\n"], retired=retired) is True
    assert path.read_bytes() == b"new\n" and [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_a_failed_write_keeps_the_old_file_and_its_second_name_goes(tmp_path, monkeypatch):
    path = tmp_path / "report.md"
    path.write_bytes(b"old\n")

    def refuse(src, dst):
        raise OSError(errno.EACCES, "permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError), Retired() as retired:
        write_if_changed(path, [b"new\n"], retired=retired)
    assert path.read_bytes() == b"old\n" and [p.name for p in tmp_path.iterdir()] == ["report.md"]

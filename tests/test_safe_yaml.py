"""Bounded YAML reading (capsim.safe_yaml): limits on size, nesting, alias expansion and duplicated keys."""

from __future__ import annotations

import os

import pytest
import yaml

from capsim import safe_yaml
from capsim.safe_yaml import MAX_BYTES, MAX_DEPTH, MAX_NODES, YAMLLimitError


def test_ordinary_yaml_reads_as_usual_with_dates_as_text():
    assert safe_yaml.load("a: [1, 2]\nb: {c: 2024-01-01}\n") == {"a": [1, 2], "b": {"c": "2024-01-01"}}


def test_nesting_at_the_limit_reads_and_one_deeper_is_refused():
    # each bracket is one level (an empty innermost list holds no scalar)
    assert safe_yaml.load("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(YAMLLimitError, match="nested more than"):
        safe_yaml.load("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    with pytest.raises(YAMLLimitError, match="nested more than"):
        safe_yaml.load("[" * 20_000 + "]" * 20_000)  # no RecursionError


def test_aliases_count_each_time_they_are_used():
    reused = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
    assert safe_yaml.load(reused) == {"a": [1, 2, 3], "b": [[1, 2, 3], [1, 2, 3]]}
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    with pytest.raises(YAMLLimitError, match=f"more than {MAX_NODES:,} values"):
        safe_yaml.load("\n".join(lines))


@pytest.mark.parametrize("text", ["a: &x [*x]", "a: &x {b: *x}"])
def test_an_alias_inside_its_own_anchor_is_refused(text):
    with pytest.raises(YAMLLimitError, match="refers to itself"):
        safe_yaml.load(text)


def test_duplicated_keys_are_refused_with_both_lines_but_merge_keys_are_not_duplicates():
    with pytest.raises(YAMLLimitError, match=r"key 'a' is given twice \(lines 1 and 3\)"):
        safe_yaml.load("a: 1\nb: 2\na: 3\n")
    assert safe_yaml.load("base: &b {x: 1, y: 2}\nc: {<<: *b, y: 3}\n")["c"] == {"x": 1, "y": 3}


def test_only_regular_files_of_bounded_size_are_read(tmp_path):
    with pytest.raises(YAMLLimitError, match="not a regular file"):
        safe_yaml.read_text(tmp_path)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(YAMLLimitError, match="FIFO"):
        safe_yaml.read_text(fifo)  # refused before opening: opening a FIFO would block
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(YAMLLimitError, match="larger than"):
        safe_yaml.read_text(big)
    big.write_bytes(b"#" * MAX_BYTES)
    assert len(safe_yaml.read_text(big)) == MAX_BYTES


def test_tags_never_construct_objects():
    with pytest.raises(yaml.YAMLError):
        safe_yaml.load("!!python/object/apply:os.system ['true']")

"""The notebook runner: cache keys follow code, parameters and data; volatile metadata is stripped."""
import nbformat
import pytest

from tillit.build import run
from tillit.tables.store import table_checksums


@pytest.fixture
def job(root):
    return next(j for j in run.jobs(root) if j.name == "kompetensforsorjning")


def test_registry_lists_every_toc_notebook(root):
    toc = (root / "_toc.yml").read_text()
    for j in run.jobs(root):
        assert str(j.path.relative_to(root).with_suffix("")) in toc, j.name
        assert j.tables, j.name


def test_cache_key_follows_data_parameters_and_code(root, job):
    sums = table_checksums(root / "data")
    shared = run.shared_code_checksum(root)
    key = run.cache_key(job, sums, shared)
    assert run.cache_key(job, dict(sums), shared) == key
    changed = dict(sums, sjukfranvaro_sektor="0" * 64)
    assert run.cache_key(job, changed, shared) != key
    unread = next(t for t in sums if t not in job.tables)
    assert run.cache_key(job, dict(sums, **{unread: "0" * 64}), shared) == key  # a table it does not read
    other = run.Job(job.name, job.path, job.source, job.tables, dict(job.parameters, landsting_year=2010))
    assert run.cache_key(other, sums, shared) != key
    assert run.cache_key(job, sums, "x") != key


def test_committed_notebooks_are_current(root):
    """Every committed executed notebook carries the key of the current code and data: nothing is stale."""
    stale = [j.name for j, key in run.current_keys(run.jobs(root), root).items() if run.stored_key(j.path) != key]
    assert not stale, f"run `tillit build` and commit the notebooks: {stale}"


def test_overrides_only_reach_declared_parameters(root):
    jobs = {j.name: j for j in run.jobs(root, {"year_from": 2000, "landsting_year": 2011})}
    assert jobs["kompetensforsorjning"].parameters["landsting_year"] == 2011
    assert "landsting_year" not in jobs["medarbetarna"].parameters
    assert jobs["medarbetarna"].parameters["year_from"] == 2000


def test_strip_volatile_removes_timestamps(job):
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "2026", "parameters": {"store": ""}, "input_path": "/abs"}
    cell = nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["injected-parameters"],
                                                        "papermill": {"duration": 1.0},
                                                        "execution": {"iopub.execute_input": "2026"}})
    nb.cells = [cell]
    out = run.strip_volatile(nb, "k", job)
    assert "papermill" not in out.metadata and out.metadata["tillit"]["cache_key"] == "k"
    assert out.metadata["tillit"]["parameters"] == {"store": ""}
    assert out.cells[0].metadata == {"tags": ["injected-parameters", "remove-cell"]}


def test_unknown_table_in_registry_is_a_clear_error(tmp_path, root):
    import shutil

    shutil.copytree(root / "data", tmp_path / "data", ignore=shutil.ignore_patterns("*.duckdb"))
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "notebooks.yaml").write_text(
        "shared_code: []\nnotebooks:\n  x:\n    path: notebooks/x.ipynb\n    title: X x\n    tables: [no_such_table]\n")
    with pytest.raises(KeyError, match="no table named 'no_such_table'"):
        run.jobs(tmp_path)

"""The notebook runner: cache keys follow code, parameters and data; volatile metadata is stripped."""
import nbformat
import pytest

from tillit.build import run
from tillit.tables.store import table_checksums


@pytest.fixture
def job(root):
    return next(j for j in run.jobs(root) if j.name == "kompetensforsorjning")


def test_every_registered_notebook_is_in_the_table_of_contents(root):
    """A `file:` entry or a `glob:` pattern of _toc.yml takes in every notebook of the registry."""
    import fnmatch

    import yaml

    entries = []

    def walk(node):
        if isinstance(node, dict):
            entries.extend(("file", node["file"]) for _ in [0] if "file" in node)
            entries.extend(("glob", node["glob"]) for _ in [0] if "glob" in node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")))
    for j in run.jobs(root):
        page = str(j.path.relative_to(root).with_suffix(""))
        assert any(page == v if k == "file" else fnmatch.fnmatch(page, v) for k, v in entries), j.name
        assert j.tables or j.name == "hallare-slutsatserna", j.name


def test_cache_key_follows_data_parameters_and_code(root, job):
    sums = table_checksums(root / "data")
    shared = run.code_checksum(root, job.source, ["data/vocab.yaml"])
    key = run.cache_key(job, sums, shared)
    assert run.cache_key(job, dict(sums), shared) == key
    changed = dict(sums, sjukfranvaro_sektor="0" * 64)
    assert run.cache_key(job, changed, shared) != key
    unread = next(t for t in sums if t not in job.tables)
    assert run.cache_key(job, dict(sums, **{unread: "0" * 64}), shared) == key  # a table it does not read
    other = run.Job(job.name, job.path, job.source, job.tables, dict(job.parameters, landsting_year=2010))
    assert run.cache_key(other, sums, shared) != key
    assert run.cache_key(job, sums, "x") != key


def test_cache_key_follows_the_tables_the_notebook_read(root, job):
    sums = table_checksums(root / "data")
    key = run.cache_key(job, sums, "code", ["sjukfall_yrke"])
    assert run.cache_key(job, dict(sums, sjukfall_yrke="0" * 64), "code", ["sjukfall_yrke"]) != key
    # a table it declares but did not read does not re-run it
    assert run.cache_key(job, dict(sums, sjukfranvaro_sektor="0" * 64), "code", ["sjukfall_yrke"]) == key


def test_a_chapter_module_reaches_only_the_notebooks_that_import_it(root):
    from tillit.build import dependencies

    closures = {j.name: dependencies.code_closure(root, dependencies.notebook_code(j.source)) for j in run.jobs(root)}
    sick_pay = root / "tillit" / "report" / "chapters" / "kompetens" / "sick_pay.py"
    reached = sorted(name for name, files in closures.items() if sick_pay in files)
    assert "kompetensforsorjning" in reached and "region-01" not in reached and "ledarskap" not in reached
    assert all(root / "tillit" / "report" / "text.py" in files for files in closures.values())


def test_the_code_checksum_changes_with_an_imported_module_only(tmp_path):
    import shutil

    from tillit.build import dependencies

    pkg = tmp_path / "tillit"
    (pkg / "report").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "report" / "__init__.py").write_text("")
    (pkg / "report" / "a.py").write_text("def f():\n    from tillit.report import b\n")
    (pkg / "report" / "b.py").write_text("X = 1\n")
    (pkg / "report" / "c.py").write_text("Y = 1\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("from tillit.report import a\na.f()")])
    nbformat.write(nb, tmp_path / "n.ipynb")
    assert dependencies.code_closure(tmp_path, dependencies.notebook_code(tmp_path / "n.ipynb")) == [
        pkg / "__init__.py", pkg / "report" / "__init__.py", pkg / "report" / "a.py", pkg / "report" / "b.py"]
    before = run.code_checksum(tmp_path, tmp_path / "n.ipynb", [])
    (pkg / "report" / "c.py").write_text("Y = 2\n")
    assert run.code_checksum(tmp_path, tmp_path / "n.ipynb", []) == before
    (pkg / "report" / "b.py").write_text("X = 2\n")
    assert run.code_checksum(tmp_path, tmp_path / "n.ipynb", []) != before
    shutil.rmtree(pkg)


def test_declared_tables_are_the_tables_each_notebook_read(root):
    """notebooks.yaml says what each chapter reads; the executed notebook records what it did read (DuckDB's parser
    over every query). A chapter that queries an unlisted table, or lists one it never reads, fails here."""
    differ = []
    for j in run.jobs(root):
        read = run.recorded_tables(j.path)
        assert read is not None, f"{j.path.name} has no record of the tables it read: run `tillit build`"
        if set(read) != set(j.tables):
            differ.append(f"{j.name}: read but not declared {sorted(set(read) - set(j.tables))}, "
                          f"declared but not read {sorted(set(j.tables) - set(read))}")
    assert not differ, "\n".join(differ)


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
        "shared_data: []\nnotebooks:\n  x:\n    path: notebooks/x.ipynb\n    tables: [no_such_table]\n")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# X x")]), tmp_path / "notebooks" / "x.ipynb")
    with pytest.raises(KeyError, match="no table named 'no_such_table'"):
        run.jobs(tmp_path)

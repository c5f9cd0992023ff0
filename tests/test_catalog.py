"""The catalog and vocabularies load, and codes resolve from labels and aliases."""
import pytest

from tillit.tables.catalog import load_catalog, publisher_of, vocab


def test_every_table_has_provenance_and_a_key():
    catalog = load_catalog()
    assert len(catalog.tables) >= 15
    for table in catalog.tables.values():
        assert table.key, table.name
        for col in ("source_publisher", "source_title", "source_url", "source_type", "source_ref"):
            assert col in table.columns, (table.name, col)
        assert table.description and table.coverage


def test_unknown_table_names_the_catalog_file():
    with pytest.raises(KeyError, match="catalog.yaml: no table named 'nope'"):
        load_catalog()["nope"]


@pytest.mark.parametrize("kind,text,code", [
    ("region", "Bleking län", "10"), ("region", "Västra Götalands län", "14"), ("region", "Riket", "00"),
    ("region", "01", "01"), ("sex", "Kvinnor", "K"), ("sex", "Totalt", "T"),
    ("sector", "landsting (anställda)", "regioner"), ("sector", "Näringsliv", "privat"),
    ("kommun", "HBG", "1283"), ("kommun", "Örkelljunga", "1257"),
])
def test_vocab_maps_labels_and_aliases_to_codes(kind, text, code):
    assert vocab(kind).code(text) == code


def test_unknown_code_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown region 'Atlantis'"):
        vocab("region").code("Atlantis")


@pytest.mark.parametrize("title,publisher", [
    ("Läkartidningen 2018-03: Kostnaderna för hyrpersonal nu över fem miljarder kronor", "Läkartidningen"),
    ("Socialstyrelsen/SKL: Öppna jämförelser – En god vård? datalista", "Socialstyrelsen och SKL"),
    ("SKR nyhet 2022-03-10: Sjukfrånvaron har minskat under 2021", "SKR"),
    ("Vårdanalys – Vården ur patienternas perspektiv", "Vårdanalys"),
    ("Newsmax 2017-11-22 (also advisory.com, CWF eAlert)", "Newsmax"),
])
def test_publisher_is_derived_from_the_title(title, publisher):
    assert publisher_of(title) == publisher


def test_any_kommun_code_of_a_known_lan_is_accepted_by_structure():
    kommun = vocab("kommun")
    assert "0180" in kommun and kommun.label("0180") == "0180"
    assert kommun.label("1283") == "Helsingborg"
    assert "9999" not in kommun and "0080" not in kommun and "180" not in kommun
    with pytest.raises(KeyError, match="unknown kommun"):
        kommun.code("9912")


def test_catalog_schema_names_file_table_and_field(tmp_path):
    """data/catalog.yaml is checked against a declared schema (pydantic) with errors naming table and field."""
    import shutil
    from pathlib import Path

    import yaml

    from tillit.tables.catalog import CatalogError, load_catalog

    data = tmp_path / "data"
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "data", data, ignore=shutil.ignore_patterns("*.duckdb", "raw", "tables", ".*"))
    raw = yaml.safe_load((data / "catalog.yaml").read_text(encoding="utf-8"))
    raw["tables"]["ihp"]["columns"]["value"]["type"] = "float"
    raw["tables"]["ihp"]["colour"] = "red"
    (data / "catalog.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(data)
    message = str(err.value)
    assert "catalog.yaml" in message and "tables 'ihp'" in message
    assert "field 'columns.value.type'" in message and "field 'colour': unknown field" in message

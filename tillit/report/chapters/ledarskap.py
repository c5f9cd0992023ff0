"""Chapter 3.4 (frånvarande ledarskap och bristande stöd): what the data hold on support and gendered conditions, and what is missing."""
from __future__ import annotations

from tillit.report import numbers, text
from tillit.tables.catalog import load_catalog, vocab
from tillit.report.chapters import Section, missing
from tillit.report.citations import source_cell, table_titles
from tillit.tables.store import Store

MANAGER_WORDS = ("chef", "ledar", "manager", "kontrollspann", "span of control")


def manager_tables(db: Store) -> list[str]:
    """Tables in the store whose catalog entry is about managers (span of control, managers' conditions)."""
    stored = set(db.sql("SELECT name FROM _manifest").name)
    catalog = load_catalog()
    found = []
    for name in sorted(stored):
        table = catalog.tables.get(name)
        words = f"{name} {table.title} {table.description}".casefold() if table else name.casefold()
        if any(w in words for w in MANAGER_WORDS):
            found.append(name)
    return found


def manager_data(db: Store) -> Section:
    """A plain statement of what is missing on managers' conditions, or the tables an analyst has added."""
    found = manager_tables(db)
    if found:
        return Section(f"Uppgifter om chefers förutsättningar finns i bokens data ({table_titles(found)}); se "
                       f"*Data och källor*.")
    return missing(
        "Projektets data har inga uppgifter om chefers förutsättningar: inte antalet medarbetare per chef i kommuner "
        "och landsting/regioner, inte chefers arbetsvillkor och stöd från HR, IT och ekonomi (de undersökningar "
        "rapporten hänvisar till, Corin & Björk 2017 och Berntson m.fl. 2012) och inte SLOSH-studiens uppgifter om "
        "stress bland kvinnliga och manliga chefer (Nyberg m.fl. 2017). Rapportens siffror om antalet medarbetare per "
        "chef kan därför bara visas som citat. När sådana uppgifter (till exempel antal anställda per chef och "
        "verksamhet ur kommunernas personalstatistik) läggs till i bokens data kan avsnittet visa dem.")


def administration_on_professionals(db: Store, year: int = 2017) -> Section:
    """Administrative time among investigating social workers as reported in 2017: the support that is missing."""
    frame = db.sql("""SELECT activity, value, source_publisher, source_url, source_type
                      FROM tidsanvandning_socialsekreterare
                      WHERE period = $y AND lower(activity) LIKE '%administration%' ORDER BY value DESC""", y=int(year))
    if frame.empty:
        return missing(f"Uppgifter om hur mycket av socialsekreterarnas tid som går till administration saknas för {year}.")
    pubs = text.listing([text.escape(p) for p in frame.source_publisher.drop_duplicates()])
    if frame.value.nunique() == 1:
        shown = text.percent(frame.value.iloc[0], 0)
        for r in frame.itertuples():  # one key per publisher, whether the text names one share or several
            numbers.register(numbers.key("administration", r.source_publisher, r.activity, year), r.value, shown)
        lines = [f"I tidsstudien av utredande socialsekreterare {year} gick enligt {pubs} "
                 f"{shown} av arbetstiden till administration."]
    else:
        parts = [f"{numbers.percent(numbers.key('administration', r.source_publisher, r.activity, year), r.value, 0)}"
                 f" enligt {text.escape(r.source_publisher)}" for r in frame.itertuples()]
        lines = [f"I tidsstudien av utredande socialsekreterare {year} gick {text.listing(parts)} av arbetstiden till "
                 f"administration."]
    delegable = frame[frame.activity.str.contains("mindre kvalificerad", case=False)]
    if len(delegable):
        r = delegable.iloc[0]
        share = numbers.percent(numbers.key("administration-delegerbar", r.source_publisher, year), r.value, 0)
        lines.append(f"{text.escape(r.source_publisher)} beskriver {share} av arbetstiden som "
                     f"”{text.escape(r.activity)}” – arbete som ett administrativt stöd kunde ta över, det stöd som avsnitt 3.4.2 beskriver som bristfälligt.")
    lines.append("Källa: " + source_cell(frame) + ".")
    return Section(" ".join(lines))


def sick_leave_by_sex(db: Store, year: int = 2017) -> Section:
    """Women's and men's sick leave among landsting employees: a gendered condition, though not managers' own."""
    frame = db.sql("""SELECT region_code, sex, value, source_publisher, source_url, source_type
                      FROM sjukfranvaro_landsting WHERE period = $y AND sex IN ('K', 'M')""", y=int(year))
    wide = frame.pivot_table(index="region_code", columns="sex", values="value").dropna()
    if wide.empty or not {"K", "M"} <= set(wide.columns):
        return missing(f"Sjukfrånvaro bland landstingsanställda per kön saknas för {year}.")
    per = wide[wide.index != "00"]
    higher = int((per.K > per.M).sum())
    where = f"samtliga {len(per)}" if higher == len(per) else f"{higher} av {len(per)}"
    lines = []
    if "00" in wide.index:
        r = wide.loc["00"]
        women = numbers.percent(numbers.key("sjukfranvaro-kon", "riket", "kvinnor", year), r.K)
        men = numbers.percent(numbers.key("sjukfranvaro-kon", "riket", "man", year), r.M)
        ratio = numbers.register(numbers.key("sjukfranvaro-kon", "kvinnor-mot-man", year), r.K / r.M,
                                 text.ratio_words(r.K, r.M))
        lines.append(f"År {year} var sjukfrånvaron bland kvinnor anställda i landstingen {women} och bland "
                     f"män {men}: kvinnornas var {ratio} männens.")
    numbers.register(numbers.key("sjukfranvaro-kon", "landsting-kvinnor-hogre", year), higher, where)
    numbers.register(numbers.key("sjukfranvaro-kon", "landsting-antal", year), len(per), str(len(per)))
    lines.append(f"Kvinnornas sjukfrånvaro var högre än männens i {where} landsting.")
    big = (per.K - per.M).idxmax()
    gap = numbers.number(numbers.key("sjukfranvaro-kon", "storst-skillnad", year), per.loc[big, "K"] - per.loc[big, "M"])
    numbers.register(numbers.key("sjukfranvaro-kon", "storst-skillnad", "landsting", year), None,
                     vocab("region").label(big))
    lines.append(f"Störst var skillnaden {text.place(text.escape(vocab('region').label(big)))} ({gap}\u00a0procentenheter).")
    lines.append("Uppgiften gäller alla landstingsanställda, inte chefer, och säger inget om orsaken. Källa: "
                 + source_cell(frame) + ". Utvecklingen över tid visas i "
                 "[3.5 Bristande kompetensförsörjning](3-5-kompetensforsorjning.ipynb).")
    return Section(" ".join(lines))


def key_figure(db: Store) -> str | None:
    """One line for the synthesis (3.6) when data on managers have been added; None while they are missing."""
    found = manager_tables(db)
    return f"uppgifter om chefers förutsättningar finns i bokens data ({table_titles(found)})" if found else None


def nearest_figure(db: Store) -> str | None:
    """The figure nearest to the problem while managers' data are missing: administration that could be delegated."""
    frame = db.sql("""SELECT period, activity, value, source_publisher FROM tidsanvandning_socialsekreterare
                      WHERE lower(activity) LIKE '%mindre kvalificerad%' ORDER BY period DESC, value DESC LIMIT 1""")
    if frame.empty:
        return None
    r = frame.iloc[0]
    year = int(r.period)
    share = numbers.percent(numbers.key("administration-delegerbar", r.source_publisher, year), r.value, 0)
    return (f"{share} av utredande socialsekreterares arbetstid {year} var administration som mindre kvalificerad "
            f"personal kunde ha utfört")


def key_points(db: Store, year: int = 2017) -> Section:
    """'Det viktigaste' for 3.4: the report's picture of managers, that the data lack it, and the nearest measure."""
    from tillit.report.chapters import key_points as box

    lines = ["Betänkandet beskrev chefer i skola, vård och omsorg med många medarbetare, lite tid att leda och svagt "
             "stöd från HR, IT och ekonomi."]
    if manager_tables(db):
        lines.append(f"Uppgifter om chefers förutsättningar finns i bokens data ({table_titles(manager_tables(db))}); "
                     f"se avsnitten nedan.")
    else:
        lines.append("Data om chefernas villkor saknas, så bilden kan varken bekräftas eller avfärdas här.")
    nearest = nearest_figure(db)
    if nearest:
        lines.append(f"Närmast finns tidsstudien av socialsekreterare: {nearest}.")
    frame = db.sql("""SELECT sex, value FROM sjukfranvaro_landsting WHERE period = $y AND region_code = '00'
                      AND sex IN ('K', 'M')""", y=int(year)).set_index("sex").value
    if {"K", "M"} <= set(frame.index):
        ratio = numbers.register(numbers.key("sjukfranvaro-kon", "kvinnor-mot-man", year), frame["K"] / frame["M"],
                                 text.ratio_words(frame["K"], frame["M"]))
        lines.append(f"Bland landstingsanställda var kvinnornas sjukfrånvaro {year} {ratio} männens – en skillnad i "
                     f"villkor mellan könen, men inte ett mått på chefernas egna.")
    return box(lines[:4])

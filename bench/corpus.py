"""Write a deterministic synthetic site in sitegen's content format, for benchmarks.

    python bench/corpus.py OUT --pages N --offers M --langs fr,de,en [--seed 1]

N pages per language (the same relative paths in every language: translations), plus a
home page; M offers (every field of CONTENT-FORMAT.md, text in every language). Pages
have headings, lists, a table and relative links to other pages; the text comes from
theme word banks and sentence frames, with generated names of people, streets and
associations so that the vocabulary keeps growing with the site, as real text does.
Languages other than fr, de and en get the English banks.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REGIONS = {
    "haut-valais": {"fr": "Haut-Valais", "de": "Oberwallis", "en": "Upper Valais"},
    "valais-central": {"fr": "Valais central", "de": "Mittelwallis", "en": "Central Valais"},
    "martigny-entremont": {"fr": "Martigny-Entremont", "de": "Martigny-Entremont", "en": "Martigny-Entremont"},
    "monthey-saint-maurice": {"fr": "Monthey-Saint-Maurice", "de": "Monthey-Saint-Maurice", "en": "Monthey-Saint-Maurice"},
}
KINDS = {
    "course": {"fr": "Cours de langue", "de": "Sprachkurse", "en": "Language courses"},
    "counselling": {"fr": "Conseil et orientation", "de": "Beratung", "en": "Counselling"},
    "delegate": {"fr": "Délégués à l'intégration", "de": "Integrationsdelegierte", "en": "Integration delegates"},
    "early-childhood": {"fr": "Petite enfance", "de": "Frühe Kindheit", "en": "Early childhood"},
    "info-session": {"fr": "Séances d'information", "de": "Informationsveranstaltungen", "en": "Information sessions"},
}
AUDIENCES = {
    "family-reunification": {"fr": "Regroupement familial", "de": "Familiennachzug", "en": "Family reunification"},
    "employment": {"fr": "Travail et formation", "de": "Arbeit und Ausbildung", "en": "Work and training"},
    "parents": {"fr": "Parents", "de": "Eltern", "en": "Parents"},
    "refugees": {"fr": "Personnes réfugiées", "de": "Geflüchtete", "en": "Refugees"},
    "everyone": {"fr": "Tout public", "de": "Alle", "en": "Everyone"},
}
# (commune, postcode, region, language, latitude, longitude)
COMMUNES = [
    ("Brig-Glis", "3900", "haut-valais", "de", 46.3159, 7.9871), ("Naters", "3904", "haut-valais", "de", 46.3257, 7.9886),
    ("Visp", "3930", "haut-valais", "de", 46.2934, 7.8815), ("Zermatt", "3920", "haut-valais", "de", 46.0207, 7.7491),
    ("Leuk", "3953", "haut-valais", "de", 46.3174, 7.6346), ("Sierre", "3960", "valais-central", "fr", 46.2920, 7.5323),
    ("Crans-Montana", "3963", "valais-central", "fr", 46.3072, 7.4813), ("Sion", "1950", "valais-central", "fr", 46.2331, 7.3606),
    ("Savièse", "1965", "valais-central", "fr", 46.2497, 7.3447), ("Conthey", "1964", "valais-central", "fr", 46.2234, 7.3030),
    ("Vétroz", "1963", "valais-central", "fr", 46.2219, 7.2789), ("Nendaz", "1996", "valais-central", "fr", 46.1868, 7.2930),
    ("Martigny", "1920", "martigny-entremont", "fr", 46.1028, 7.0726), ("Fully", "1926", "martigny-entremont", "fr", 46.1385, 7.1147),
    ("Saxon", "1907", "martigny-entremont", "fr", 46.1497, 7.1753), ("Orsières", "1937", "martigny-entremont", "fr", 46.0294, 7.1453),
    ("Saint-Maurice", "1890", "monthey-saint-maurice", "fr", 46.2167, 7.0036), ("Monthey", "1870", "monthey-saint-maurice", "fr", 46.2545, 6.9541),
    ("Collombey-Muraz", "1868", "monthey-saint-maurice", "fr", 46.2703, 6.9472), ("Vouvry", "1896", "monthey-saint-maurice", "fr", 46.3367, 6.8897),
]

# Themes: folder, title per language, nouns per language.
THEMES = [
    ("logement", {"fr": "Logement", "de": "Wohnen", "en": "Housing"}, {
        "fr": "logement loyer bail appartement gérance caution charges déménagement voisinage assurance-ménage",
        "de": "Wohnung Miete Mietvertrag Vermieter Kaution Nebenkosten Umzug Nachbarschaft Hausratversicherung Wohnungssuche",
        "en": "housing rent lease apartment landlord deposit charges moving neighbours insurance"}),
    ("travail", {"fr": "Travail", "de": "Arbeit", "en": "Work"}, {
        "fr": "emploi travail contrat salaire chômage apprentissage diplôme candidature entretien patron",
        "de": "Arbeit Stelle Arbeitsvertrag Lohn Arbeitslosigkeit Lehre Diplom Bewerbung Vorstellungsgespräch Arbeitgeber",
        "en": "job work contract salary unemployment apprenticeship diploma application interview employer"}),
    ("sante", {"fr": "Santé", "de": "Gesundheit", "en": "Health"}, {
        "fr": "santé médecin hôpital pharmacie urgence vaccination dentiste grossesse ordonnance interprète",
        "de": "Gesundheit Arzt Spital Apotheke Notfall Impfung Zahnarzt Schwangerschaft Rezept Dolmetscherin",
        "en": "health doctor hospital pharmacy emergency vaccination dentist pregnancy prescription interpreter"}),
    ("ecole", {"fr": "École", "de": "Schule", "en": "School"}, {
        "fr": "école enseignant élève classe inscription devoirs vacances cantine bulletin orientation",
        "de": "Schule Lehrperson Schüler Klasse Anmeldung Hausaufgaben Ferien Mittagstisch Zeugnis Berufswahl",
        "en": "school teacher pupil class enrolment homework holidays canteen report guidance"}),
    ("langue", {"fr": "Langue", "de": "Sprache", "en": "Language"}, {
        "fr": "cours français allemand niveau alphabétisation fide conversation test certificat tandem",
        "de": "Kurs Französisch Deutsch Niveau Alphabetisierung fide Konversation Test Zertifikat Tandem",
        "en": "course French German level literacy fide conversation test certificate tandem"}),
    ("assurances", {"fr": "Assurances", "de": "Versicherungen", "en": "Insurance"}, {
        "fr": "assurance-maladie prime franchise subside caisse accident responsabilité AVS rente cotisation",
        "de": "Krankenkasse Prämie Franchise Prämienverbilligung Kasse Unfall Haftpflicht AHV Rente Beitrag",
        "en": "health-insurance premium deductible subsidy fund accident liability pension benefit contribution"}),
    ("permis", {"fr": "Permis de séjour", "de": "Aufenthaltsbewilligung", "en": "Residence permits"}, {
        "fr": "permis séjour établissement naturalisation commune guichet passeport formulaire renouvellement regroupement",
        "de": "Bewilligung Aufenthalt Niederlassung Einbürgerung Gemeinde Schalter Pass Formular Verlängerung Familiennachzug",
        "en": "permit residence settlement naturalisation commune counter passport form renewal reunification"}),
    ("transports", {"fr": "Transports", "de": "Verkehr", "en": "Transport"}, {
        "fr": "bus train abonnement billet horaire gare vélo permis-de-conduire parking covoiturage",
        "de": "Bus Zug Abonnement Billett Fahrplan Bahnhof Velo Führerausweis Parkplatz Fahrgemeinschaft",
        "en": "bus train pass ticket timetable station bicycle driving-licence parking car-sharing"}),
    ("enfance", {"fr": "Petite enfance", "de": "Frühe Kindheit", "en": "Early childhood"}, {
        "fr": "crèche garderie maman papa bébé allaitement jeux éveil puéricultrice consultation",
        "de": "Kita Spielgruppe Mutter Vater Baby Stillen Spiele Förderung Mütterberatung Elternberatung",
        "en": "nursery playgroup mother father baby breastfeeding games development nurse consultation"}),
    ("argent", {"fr": "Argent", "de": "Geld", "en": "Money"}, {
        "fr": "budget impôts banque compte dettes facture aide-sociale déclaration épargne poursuite",
        "de": "Budget Steuern Bank Konto Schulden Rechnung Sozialhilfe Steuererklärung Sparen Betreibung",
        "en": "budget taxes bank account debts bill welfare declaration savings collection"}),
    ("loisirs", {"fr": "Loisirs", "de": "Freizeit", "en": "Leisure"}, {
        "fr": "association sport bibliothèque musique randonnée fête bénévolat culture musée ski",
        "de": "Verein Sport Bibliothek Musik Wanderung Fest Freiwilligenarbeit Kultur Museum Skifahren",
        "en": "association sport library music hiking festival volunteering culture museum skiing"}),
    ("urgences", {"fr": "Urgences", "de": "Notfälle", "en": "Emergencies"}, {
        "fr": "police ambulance pompiers violence protection hébergement écoute numéro secours aide",
        "de": "Polizei Ambulanz Feuerwehr Gewalt Schutz Unterkunft Beratungstelefon Nummer Notruf Hilfe",
        "en": "police ambulance firefighters violence protection shelter helpline number rescue help"}),
]

FRAMES = {
    "fr": [
        "Pour toute question sur {a}, adressez-vous au bureau de {org} à {place}.",
        "À {place}, {person} vous reçoit le {day} de {time} pour parler de {a} et de {b}.",
        "Vous trouvez des informations sur {a} dans plusieurs langues, gratuitement.",
        "Le service de {org} explique {a}, {b} et {c} aux personnes nouvellement arrivées.",
        "Prenez rendez-vous avant de venir : le nombre de places pour {a} est limité.",
        "En Valais, {a} est souvent réglé par la commune ; demandez au guichet de {place}.",
        "Une interprète peut vous accompagner si vous ne parlez pas encore bien le français.",
        "Apportez votre permis de séjour et, si possible, les documents sur {b}.",
        "{person}, de l'association {org}, répond aussi aux questions sur {c}.",
        "Les bureaux se trouvent {street}, à deux minutes de la gare de {place}.",
        "Beaucoup de familles ne savent pas que {a} et {b} sont liés : renseignez-vous tôt.",
        "Le {day}, une séance présente {a} en français simple, avec des images.",
        "Les délais pour {b} sont courts ; ne laissez pas passer la date.",
        "Vous avez le droit de demander de l'aide pour {c}, même sans parler la langue.",
    ],
    "de": [
        "Bei Fragen zu {a} wenden Sie sich an das Büro von {org} in {place}.",
        "In {place} empfängt Sie {person} am {day} von {time}, um über {a} und {b} zu sprechen.",
        "Informationen zu {a} finden Sie kostenlos in mehreren Sprachen.",
        "Die Fachstelle {org} erklärt neu zugezogenen Menschen {a}, {b} und {c}.",
        "Vereinbaren Sie vorher einen Termin: Die Plätze für {a} sind begrenzt.",
        "Im Wallis regelt oft die Gemeinde {a}; fragen Sie am Schalter in {place}.",
        "Eine Dolmetscherin kann Sie begleiten, wenn Sie noch nicht gut Deutsch sprechen.",
        "Bringen Sie Ihre Aufenthaltsbewilligung und wenn möglich die Unterlagen zu {b} mit.",
        "{person} vom Verein {org} beantwortet auch Fragen zu {c}.",
        "Die Büros befinden sich an der {street}, zwei Minuten vom Bahnhof {place}.",
        "Viele Familien wissen nicht, dass {a} und {b} zusammenhängen: Informieren Sie sich früh.",
        "Am {day} stellt eine Veranstaltung {a} in einfacher Sprache mit Bildern vor.",
        "Die Fristen für {b} sind kurz; verpassen Sie das Datum nicht.",
        "Sie haben das Recht, Hilfe für {c} zu verlangen, auch ohne die Sprache zu sprechen.",
    ],
    "en": [
        "For any question about {a}, contact the office of {org} in {place}.",
        "In {place}, {person} sees you on {day} from {time} to talk about {a} and {b}.",
        "You can find information about {a} in several languages, free of charge.",
        "The {org} service explains {a}, {b} and {c} to people who have just arrived.",
        "Make an appointment before you come: the places for {a} are limited.",
        "In Valais, {a} is often handled by the commune; ask at the counter in {place}.",
        "An interpreter can come with you if you do not speak the language well yet.",
        "Bring your residence permit and, if possible, the documents about {b}.",
        "{person}, from the {org} association, also answers questions about {c}.",
        "The offices are at {street}, two minutes from {place} station.",
        "Many families do not know that {a} and {b} are linked: find out early.",
        "On {day}, a session presents {a} in plain language, with pictures.",
        "The deadlines for {b} are short; do not miss the date.",
        "You have the right to ask for help with {c}, even without speaking the language.",
    ],
}
WORDS = {
    "fr": {"days": "lundi mardi mercredi jeudi vendredi samedi".split(), "about": "ce qu'il faut savoir",
           "steps": "Les étapes", "contacts": "Adresses utiles", "see": "Voir aussi", "office": "Service",
           "commune": "Commune", "phone": "Téléphone", "street": "rue", "home": "Accueil",
           "welcome": "Bienvenue sur le portail d'exemple. Choisissez un thème.", "at": "à"},
    "de": {"days": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag".split(), "about": "das Wichtigste",
           "steps": "Die Schritte", "contacts": "Nützliche Adressen", "see": "Siehe auch", "office": "Stelle",
           "commune": "Gemeinde", "phone": "Telefon", "street": "strasse", "home": "Startseite",
           "welcome": "Willkommen auf dem Beispielportal. Wählen Sie ein Thema.", "at": "in"},
    "en": {"days": "Monday Tuesday Wednesday Thursday Friday Saturday".split(), "about": "what to know",
           "steps": "The steps", "contacts": "Useful addresses", "see": "See also", "office": "Office",
           "commune": "Commune", "phone": "Phone", "street": "street", "home": "Home",
           "welcome": "Welcome to the example portal. Choose a topic.", "at": "in"},
}
FIRST = "Anna Marco Fatima Luca Sofia Ahmed Elena Yusuf Chantal Pierre Maria Jonas Aylin Noah Ines Samuel".split()
LAST = ("Bonvin Zufferey Imboden Rossier Fournier Theytaz Schmid Salamin Pannatier Carron Gay Favre Bregy Kalbermatten"
        " Mathieu Perruchoud Dorsaz Crettenand Bagnoud Lehner").split()
SYLLABLES = "ra ven to mi sa lu pe ri no ka de ba lo ti fe mo ga vi re su cha bre tal"
SYLLABLES_LIST = SYLLABLES.split()
ORG_WORDS = {"fr": ["Espace", "Maison", "Centre", "Réseau", "Point"], "de": ["Treffpunkt", "Haus", "Zentrum", "Netzwerk", "Forum"],
             "en": ["Space", "House", "Centre", "Network", "Point"]}


def _bank(lang: str) -> str:
    return lang if lang in FRAMES else "en"


def _name(rng: random.Random) -> str:
    """A made-up proper noun: the long tail of a real site's vocabulary."""
    return "".join(rng.choice(SYLLABLES_LIST) for _ in range(rng.randint(2, 3))).capitalize()


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Page:
    def __init__(self, number: int, rng: random.Random, pages: int):
        self.theme = THEMES[number % len(THEMES)]
        self.commune = COMMUNES[rng.randrange(len(COMMUNES))]
        self.path = f"{self.theme[0]}/{self.theme[0]}-{number:04d}.md"
        self.links = [rng.randrange(pages) for _ in range(3)]
        self.seed = rng.randrange(1 << 30)
        self.nouns = rng.sample(range(10), 6)
        self.people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(2)]
        self.orgs = [_name(rng) for _ in range(2)]
        self.streets = [_name(rng) for _ in range(2)]
        self.updated = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"


def page_text(page: Page, lang: str, all_pages: list[Page]) -> str:
    bank = _bank(lang)
    rng = random.Random(page.seed)  # the same choices in every language: translations
    words = WORDS[bank]
    nouns = page.theme[2][bank].split()
    theme_title = page.theme[1][bank]
    place = page.commune[0]
    org_word = ORG_WORDS[bank]

    def sentence() -> str:
        frame = FRAMES[bank][rng.randrange(len(FRAMES[bank]))]
        a, b, c = (nouns[page.nouns[rng.randrange(6)]] for _ in range(3))
        return frame.format(
            a=a, b=b, c=c, place=place, person=rng.choice(page.people),
            org=f"{rng.choice(org_word)} {rng.choice(page.orgs)}", day=rng.choice(words["days"]),
            time=f"{rng.randint(8, 17)}h{rng.choice(['00', '30'])}",
            street=f"{rng.choice(page.streets)}{words['street']} {rng.randint(1, 60)}",
        )

    def paragraph(n: int) -> str:
        return " ".join(sentence() for _ in range(n))

    title = f"{theme_title} {words['at']} {place}: {nouns[page.nouns[0]]}"
    link_lines = []
    for target in page.links:
        other = all_pages[target]
        rel = ("../" + other.path) if other.path.split("/")[0] != page.path.split("/")[0] else other.path.split("/")[1]
        link_lines.append(f"- [{other.theme[1][bank]} {words['at']} {other.commune[0]}]({rel})")
    phones = [f"+41 27 000 {rng.randint(10, 99)} {rng.randint(10, 99)}" for _ in range(3)]
    table = [f"| {words['office']} | {words['commune']} | {words['phone']} |", "|---|---|---|"]
    for i in range(3):
        table.append(f"| {rng.choice(org_word)} {rng.choice(page.orgs)} | {COMMUNES[rng.randrange(len(COMMUNES))][0]} | {phones[i]} |")
    keywords = ", ".join(_q(nouns[i]) for i in page.nouns[:3])
    return "\n".join([
        "---",
        f"title: {_q(title)}",
        f"summary: {_q(sentence())}",
        f"keywords: [{keywords}]",
        f"updated: {page.updated}",
        "---",
        paragraph(4),
        "",
        f"## {nouns[page.nouns[1]].capitalize()}: {words['about']}",
        "",
        paragraph(5),
        "",
        f"## {words['steps']}",
        "",
        *(f"{i + 1}. {sentence()}" for i in range(4)),
        "",
        paragraph(3),
        "",
        f"## {words['contacts']}",
        "",
        *table,
        "",
        paragraph(3),
        "",
        f"## {words['see']}",
        "",
        *link_lines,
        "",
    ])


def home_text(lang: str, pages: list[Page]) -> str:
    words = WORDS[_bank(lang)]
    firsts: dict[str, Page] = {}
    for page in pages:
        firsts.setdefault(page.theme[0], page)
    lines = ["---", f"title: {_q(words['home'])}", "---", words["welcome"], ""]
    lines += [f"- [{p.theme[1][_bank(lang)]}]({p.path})" for p in firsts.values()]
    return "\n".join(lines) + "\n"


COURSE_LANG = {"fr": {"fr": "Français", "de": "Französisch", "en": "French"}, "de": {"fr": "Allemand", "de": "Deutsch", "en": "German"}}
TIMES = [{"fr": "du matin", "de": "am Morgen", "en": "morning"}, {"fr": "du soir", "de": "am Abend", "en": "evening"},
         {"fr": "intensif", "de": "intensiv", "en": "intensive"}, {"fr": "du samedi", "de": "am Samstag", "en": "Saturday"}]
TOPICS = [{"fr": "social", "de": "Sozialberatung", "en": "social"}, {"fr": "juridique", "de": "Rechtsberatung", "en": "legal"},
          {"fr": "emploi", "de": "Stellensuche", "en": "job search"}, {"fr": "budget", "de": "Budgetberatung", "en": "budget"},
          {"fr": "logement", "de": "Wohnungssuche", "en": "housing"}]


def offer_yaml(n: int, rng: random.Random, langs: list[str]) -> tuple[str, str]:
    kind = rng.choices(list(KINDS), weights=[40, 20, 10, 15, 15])[0]
    commune, postcode, region, clang, lat, lon = COMMUNES[rng.randrange(len(COMMUNES))]
    slug = commune.lower().replace("è", "e").replace("é", "e").replace(" ", "-")
    levels: list[str] = []
    if kind == "course":
        level = rng.choice(["A1", "A2", "B1", "B2"])
        levels = [level] if rng.random() < 0.7 else [level, {"A1": "A2", "A2": "B1", "B1": "B2", "B2": "C1"}[level]]
        time = rng.choice(TIMES)
        title = {lang_: f"{COURSE_LANG[clang][_bank(lang_)]} {' '.join(levels)} {time[_bank(lang_)]}" for lang_ in ("fr", "de", "en")}
        title["en"] = f"{time['en'].capitalize()} {COURSE_LANG[clang]['en']} {' '.join(levels)}"
        taught = [clang]
    elif kind == "counselling":
        topic = rng.choice(TOPICS)
        title = {"fr": f"Conseil {topic['fr']} à {commune}", "de": f"{topic['de']} in {commune}", "en": f"{topic['en'].capitalize()} counselling in {commune}"}
        taught = sorted({clang, rng.choice(["fr", "de", "en", "pt", "es", "ar", "ti", "uk"])})
    elif kind == "delegate":
        title = {"fr": f"Délégué·e à l'intégration de {commune}", "de": f"Integrationsdelegierte {commune}", "en": f"Integration delegate for {commune}"}
        taught = sorted({clang, "en"})
    elif kind == "early-childhood":
        title = {"fr": f"Groupe de jeux parents-enfants {commune}", "de": f"Eltern-Kind-Spielgruppe {commune}", "en": f"Parent and child playgroup {commune}"}
        taught = [clang]
    else:
        theme = THEMES[rng.randrange(len(THEMES))]
        title = {"fr": f"Séance d'accueil : {theme[1]['fr'].lower()}", "de": f"Willkommensanlass: {theme[1]['de']}",
                 "en": f"Welcome session: {theme[1]['en'].lower()}"}
        taught = [clang]
    provider = f"{rng.choice(ORG_WORDS['fr' if clang == 'fr' else 'de'])} {_name(rng)}"
    day = rng.randrange(5)
    hours = f"{rng.randint(8, 18)}h{rng.choice(['00', '30'])}"
    free = rng.random() < 0.3
    price = 0 if free else rng.choice([40, 60, 120, 180, 240, 320])
    childcare = rng.random() < 0.35
    audiences = sorted(rng.sample(list(AUDIENCES), rng.randint(1, 2)))

    theme_of_kind = {"course": 4, "counselling": rng.choice([0, 1, 5, 9]), "delegate": 6, "early-childhood": 8}
    theme_index = theme_of_kind.get(kind, n % len(THEMES))

    def text(kind_lang: str) -> dict[str, str]:
        b = _bank(kind_lang)
        nouns = THEMES[theme_index][2][b].split()
        frame = FRAMES[b][(n * 7 + 3) % len(FRAMES[b])]
        return {"summary": frame.format(a=nouns[0], b=nouns[1], c=nouns[2], place=commune, person=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                                        org=provider, day=WORDS[b]["days"][day], time=hours, street=f"{_name(rng)}{WORDS[b]['street']} 3"),
                "schedule": f"{WORDS[b]['days'][day]}, {hours}-{int(hours[:-3]) + 2}h{hours[-2:]}"}

    texts = {lang_: text(lang_) for lang_ in langs}
    street_word = WORDS[_bank(clang)]["street"]
    address = f"{_name(rng)}{street_word} {rng.randint(1, 40)}, {postcode} {commune}"
    out = [f"- id: {slug}-{kind}-{n:04d}", f"  kind: {kind}", "  title:"]
    out += [f"    {lang_}: {_q(title[_bank(lang_)])}" for lang_ in langs]
    out.append("  summary:")
    out += [f"    {lang_}: {_q(texts[lang_]['summary'])}" for lang_ in langs]
    out.append("  description:")
    for lang_ in langs:
        b = _bank(lang_)
        r = random.Random(n * 31 + 7)
        nouns = THEMES[theme_index][2][b].split()
        lines = [FRAMES[b][r.randrange(14)].format(a=nouns[r.randrange(10)], b=nouns[r.randrange(10)], c=nouns[r.randrange(10)], place=commune,
                                                   person=f"{r.choice(FIRST)} {r.choice(LAST)}", org=provider, day=WORDS[b]["days"][day],
                                                   time=hours, street=f"{_name(r)}{WORDS[b]['street']} 3") for _ in range(2)]
        lines += [f"- {nouns[r.randrange(10)]}" for _ in range(3)]
        out.append(f"    {lang_}: |")
        out += [f"      {line}" for line in lines]
    out += [
        f"  provider: {_q(provider)}",
        f"  region: {region}",
        f"  commune: {_q(commune)}",
        f"  address: {_q(address)}",
        f"  geo: [{lat + rng.uniform(-0.01, 0.01):.4f}, {lon + rng.uniform(-0.01, 0.01):.4f}]",
        f"  languages: [{', '.join(taught)}]",
    ]
    if levels:
        out.append(f"  levels: [{', '.join(levels)}]")
    out.append("  schedule:")
    out += [f"    {lang_}: {_q(texts[lang_]['schedule'])}" for lang_ in langs]
    out += [
        f"  price_chf: {price}",
        f"  childcare: {'true' if childcare else 'false'}",
        f"  audiences: [{', '.join(audiences)}]",
        f"  contact: {{phone: \"+41 27 000 {rng.randint(10, 99)} {rng.randint(10, 99)}\", email: \"info-{n}@example.ch\", website: \"https://example.ch/offers/{n}\"}}",
        "  opening_hours: \"Mo-Fr 08:30-11:30\"",
        "  starts: 2026-09-01",
        "  ends: 2030-06-30",
        "  reviewed: 2026-08-15",
        "",
    ]
    return kind, "\n".join(out)


def site_yaml(langs: list[str]) -> str:
    def local(names: dict[str, str]) -> str:
        return "{" + ", ".join(f"{lang_}: {_q(names[_bank(lang_)])}" for lang_ in langs) + "}"

    lines = [
        "# Synthetic benchmark site written by bench/corpus.py: every name, address and number is invented.",
        f"title: {local({'fr': 'Portail synthétique', 'de': 'Synthetisches Portal', 'en': 'Synthetic portal'})}",
        'base_url: "https://bench.example.ch/"',
        f"default_language: {langs[0]}",
        f"languages: [{', '.join(langs)}]",
    ]
    for key, terms in (("regions", REGIONS), ("kinds", KINDS), ("audiences", AUDIENCES)):
        lines.append(f"{key}:")
        for term_id, names in terms.items():
            lines += [f"  - id: {term_id}", f"    name: {local(names)}"]
    return "\n".join(lines) + "\n"


def write_corpus(out: Path, pages: int, offers: int, langs: list[str], seed: int = 1) -> None:
    """Write the synthetic site into `out` (which must not hold another site's content)."""
    rng = random.Random(seed)
    page_list = [Page(i, rng, max(pages, 1)) for i in range(pages)]
    out.mkdir(parents=True, exist_ok=True)
    (out / "site.yaml").write_text(site_yaml(langs), encoding="utf-8")
    for lang in langs:
        root = out / "content" / lang
        root.mkdir(parents=True, exist_ok=True)
        (root / "index.md").write_text(home_text(lang, page_list), encoding="utf-8")
        for page in page_list:
            path = root / page.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page_text(page, lang, page_list), encoding="utf-8")
    by_kind: dict[str, list[str]] = {}
    offer_rng = random.Random(seed * 7919 + 1)
    for n in range(offers):
        kind, text = offer_yaml(n, offer_rng, langs)
        by_kind.setdefault(kind, []).append(text)
    (out / "content" / "offers").mkdir(parents=True, exist_ok=True)
    for kind, entries in sorted(by_kind.items()):
        (out / "content" / "offers" / f"{kind}.yaml").write_text("# Synthetic offers.\n\n" + "\n".join(entries), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=100, help="pages per language (plus a home page)")
    parser.add_argument("--offers", type=int, default=50)
    parser.add_argument("--langs", default="fr,de,en")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if (args.out / "content").exists() and any((args.out / "content").iterdir()):
        print(f"{args.out}/content is not empty: choose an empty folder", file=sys.stderr)
        return 2
    write_corpus(args.out, args.pages, args.offers, [x.strip() for x in args.langs.split(",") if x.strip()], args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())

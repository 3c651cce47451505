"""Write a deterministic synthetic site in sitegen's content format, for benchmarks.

    python bench/corpus.py OUT --pages N --offers M --langs fr,de,en [--seed 1]

N pages per language (the same relative paths in every language: translations), plus a
home page; M offers (every field of CONTENT-FORMAT.md, text in every language). The same
arguments always give the same bytes.

Pages read like an integration portal's: an introduction, then a varying number of
sections (prose, numbered steps, documents to bring, sub-sections, frequently asked
questions with h3 headings, bulleted tips, notes in block quotes), a table of contacts,
links to other pages inside the prose and a "see also" list. Lengths vary (most pages are
short, a few are long): at N = 1,000 in fr, de, en the Markdown adds up to about 17.6 MB,
about 5.9 kB per page, as the corpus of issue 6. Sentences come from aligned frames (the
same frame and the same choices in every language of a page) filled with theme words,
documents, language names, months, days, times, prices and generated names of people,
associations and streets, so that no two pages are alike and the vocabulary keeps growing
with the site, as real text does. Languages other than fr, de and en get the English banks.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from pathlib import Path
from statistics import NormalDist

REGIONS = {
    "haut-valais": {"fr": "Haut-Valais", "de": "Oberwallis", "en": "Upper Valais"},
    "valais-central": {"fr": "Valais central", "de": "Mittelwallis", "en": "Central Valais"},
    "martigny-entremont": {
        "fr": "Martigny-Entremont",
        "de": "Martigny-Entremont",
        "en": "Martigny-Entremont",
    },
    "monthey-saint-maurice": {
        "fr": "Monthey-Saint-Maurice",
        "de": "Monthey-Saint-Maurice",
        "en": "Monthey-Saint-Maurice",
    },
}
KINDS = {
    "course": {"fr": "Cours de langue", "de": "Sprachkurse", "en": "Language courses"},
    "counselling": {"fr": "Conseil et orientation", "de": "Beratung", "en": "Counselling"},
    "delegate": {
        "fr": "Délégués à l'intégration",
        "de": "Integrationsdelegierte",
        "en": "Integration delegates",
    },
    "early-childhood": {"fr": "Petite enfance", "de": "Frühe Kindheit", "en": "Early childhood"},
    "info-session": {
        "fr": "Séances d'information",
        "de": "Informationsveranstaltungen",
        "en": "Information sessions",
    },
}
AUDIENCES = {
    "family-reunification": {
        "fr": "Regroupement familial",
        "de": "Familiennachzug",
        "en": "Family reunification",
    },
    "employment": {
        "fr": "Travail et formation",
        "de": "Arbeit und Ausbildung",
        "en": "Work and training",
    },
    "parents": {"fr": "Parents", "de": "Eltern", "en": "Parents"},
    "refugees": {"fr": "Personnes réfugiées", "de": "Geflüchtete", "en": "Refugees"},
    "everyone": {"fr": "Tout public", "de": "Alle", "en": "Everyone"},
}
# (commune, postcode, region, language, latitude, longitude)
COMMUNES = [
    ("Brig-Glis", "3900", "haut-valais", "de", 46.3159, 7.9871),
    ("Naters", "3904", "haut-valais", "de", 46.3257, 7.9886),
    ("Visp", "3930", "haut-valais", "de", 46.2934, 7.8815),
    ("Zermatt", "3920", "haut-valais", "de", 46.0207, 7.7491),
    ("Leuk", "3953", "haut-valais", "de", 46.3174, 7.6346),
    ("Sierre", "3960", "valais-central", "fr", 46.2920, 7.5323),
    ("Crans-Montana", "3963", "valais-central", "fr", 46.3072, 7.4813),
    ("Sion", "1950", "valais-central", "fr", 46.2331, 7.3606),
    ("Savièse", "1965", "valais-central", "fr", 46.2497, 7.3447),
    ("Conthey", "1964", "valais-central", "fr", 46.2234, 7.3030),
    ("Vétroz", "1963", "valais-central", "fr", 46.2219, 7.2789),
    ("Nendaz", "1996", "valais-central", "fr", 46.1868, 7.2930),
    ("Martigny", "1920", "martigny-entremont", "fr", 46.1028, 7.0726),
    ("Fully", "1926", "martigny-entremont", "fr", 46.1385, 7.1147),
    ("Saxon", "1907", "martigny-entremont", "fr", 46.1497, 7.1753),
    ("Orsières", "1937", "martigny-entremont", "fr", 46.0294, 7.1453),
    ("Saint-Maurice", "1890", "monthey-saint-maurice", "fr", 46.2167, 7.0036),
    ("Monthey", "1870", "monthey-saint-maurice", "fr", 46.2545, 6.9541),
    ("Collombey-Muraz", "1868", "monthey-saint-maurice", "fr", 46.2703, 6.9472),
    ("Vouvry", "1896", "monthey-saint-maurice", "fr", 46.3367, 6.8897),
]

# Themes: folder, title per language, nouns per language (the same position is the same
# word in every language: translations choose by position). The first ten are the ones
# the offers and bench/search_bench.py's queries use.
THEMES = [
    (
        "logement",
        {"fr": "Logement", "de": "Wohnen", "en": "Housing"},
        {
            "fr": "logement loyer bail appartement gérance caution charges déménagement voisinage "
            "assurance-ménage chauffage buanderie concierge résiliation état-des-lieux chambre "
            "colocation humidité ordures règlement",
            "de": "Wohnung Miete Mietvertrag Vermieter Kaution Nebenkosten Umzug Nachbarschaft "
            "Hausratversicherung Wohnungssuche Heizung Waschküche Hauswart Kündigung "
            "Wohnungsabnahme Zimmer Wohngemeinschaft Feuchtigkeit Abfall Hausordnung",
            "en": "housing rent lease apartment landlord deposit charges moving neighbours "
            "insurance heating laundry caretaker termination inspection room flat-share damp "
            "rubbish house-rules",
        },
    ),
    (
        "travail",
        {"fr": "Travail", "de": "Arbeit", "en": "Work"},
        {
            "fr": "emploi travail contrat salaire chômage apprentissage diplôme candidature "
            "entretien patron permis-de-travail horaire congés stage retraite syndicat "
            "licenciement formation ORP certificat-de-travail",
            "de": "Arbeit Stelle Arbeitsvertrag Lohn Arbeitslosigkeit Lehre Diplom Bewerbung "
            "Vorstellungsgespräch Arbeitgeber Arbeitsbewilligung Arbeitszeit Ferien Praktikum "
            "Pensionierung Gewerkschaft Entlassung Weiterbildung RAV Arbeitszeugnis",
            "en": "job work contract salary unemployment apprenticeship diploma application "
            "interview employer work-permit working-hours leave internship retirement union "
            "dismissal training job-centre reference",
        },
    ),
    (
        "sante",
        {"fr": "Santé", "de": "Gesundheit", "en": "Health"},
        {
            "fr": "santé médecin hôpital pharmacie urgence vaccination dentiste grossesse "
            "ordonnance interprète généraliste psychologue gynécologue physiothérapie opticien "
            "médicament dépistage maladie consultation permanence",
            "de": "Gesundheit Arzt Spital Apotheke Notfall Impfung Zahnarzt Schwangerschaft "
            "Rezept Dolmetscherin Hausarzt Psychologin Frauenärztin Physiotherapie Optiker "
            "Medikament Vorsorge Krankheit Sprechstunde Bereitschaftsdienst",
            "en": "health doctor hospital pharmacy emergency vaccination dentist pregnancy "
            "prescription interpreter GP psychologist gynaecologist physiotherapy optician "
            "medicine screening illness consultation on-call-service",
        },
    ),
    (
        "ecole",
        {"fr": "École", "de": "Schule", "en": "School"},
        {
            "fr": "école enseignant élève classe inscription devoirs vacances cantine bulletin "
            "orientation enfantine primaire secondaire récréation réunion rentrée soutien "
            "matériel absence horaire-scolaire",
            "de": "Schule Lehrperson Schüler Klasse Anmeldung Hausaufgaben Ferien Mittagstisch "
            "Zeugnis Berufswahl Kindergarten Primarschule Oberstufe Pause Elternabend Schulbeginn "
            "Förderunterricht Schulmaterial Absenz Stundenplan",
            "en": "school teacher pupil class enrolment homework holidays canteen report guidance "
            "kindergarten primary secondary break parents-evening start-of-term support "
            "school-supplies absence timetable",
        },
    ),
    (
        "langue",
        {"fr": "Langue", "de": "Sprache", "en": "Language"},
        {
            "fr": "cours français allemand niveau alphabétisation fide conversation test "
            "certificat tandem grammaire vocabulaire lecture écriture prononciation inscription "
            "bénévole groupe examen dictionnaire",
            "de": "Kurs Französisch Deutsch Niveau Alphabetisierung fide Konversation Test "
            "Zertifikat Tandem Grammatik Wortschatz Lesen Schreiben Aussprache Einschreibung "
            "Freiwillige Gruppe Prüfung Wörterbuch",
            "en": "course French German level literacy fide conversation test certificate tandem "
            "grammar vocabulary reading writing pronunciation registration volunteer group "
            "exam dictionary",
        },
    ),
    (
        "assurances",
        {"fr": "Assurances", "de": "Versicherungen", "en": "Insurance"},
        {
            "fr": "assurance-maladie prime franchise subside caisse accident responsabilité AVS "
            "rente cotisation remboursement complémentaire télémédecine invalidité maternité "
            "couverture résiliation attestation police sinistre",
            "de": "Krankenkasse Prämie Franchise Prämienverbilligung Kasse Unfall Haftpflicht AHV "
            "Rente Beitrag Rückerstattung Zusatzversicherung Telemedizin Invalidität Mutterschaft "
            "Deckung Kündigung Bestätigung Police Schadenfall",
            "en": "health-insurance premium deductible subsidy fund accident liability pension "
            "benefit contribution refund supplementary telemedicine disability maternity cover "
            "cancellation certificate policy claim",
        },
    ),
    (
        "permis",
        {"fr": "Permis de séjour", "de": "Aufenthaltsbewilligung", "en": "Residence permits"},
        {
            "fr": "permis séjour établissement naturalisation commune guichet passeport "
            "formulaire renouvellement regroupement carte-de-séjour visa biométrie empreintes "
            "émolument intégration nationalité annonce adresse délai",
            "de": "Bewilligung Aufenthalt Niederlassung Einbürgerung Gemeinde Schalter Pass "
            "Formular Verlängerung Familiennachzug Ausländerausweis Visum Biometrie "
            "Fingerabdrücke Gebühr Integration Staatsangehörigkeit Anmeldung Adresse Frist",
            "en": "permit residence settlement naturalisation commune counter passport form "
            "renewal reunification residence-card visa biometrics fingerprints fee integration "
            "nationality registration address deadline",
        },
    ),
    (
        "transports",
        {"fr": "Transports", "de": "Verkehr", "en": "Transport"},
        {
            "fr": "bus train abonnement billet horaire gare vélo permis-de-conduire parking "
            "covoiturage demi-tarif trajet arrêt correspondance retard car-postal téléphérique "
            "trottinette examen-de-conduite auto-école",
            "de": "Bus Zug Abonnement Billett Fahrplan Bahnhof Velo Führerausweis Parkplatz "
            "Fahrgemeinschaft Halbtax Strecke Haltestelle Anschluss Verspätung Postauto Seilbahn "
            "Trottinett Fahrprüfung Fahrschule",
            "en": "bus train pass ticket timetable station bicycle driving-licence parking "
            "car-sharing half-fare journey stop connection delay postbus cable-car scooter "
            "driving-test driving-school",
        },
    ),
    (
        "enfance",
        {"fr": "Petite enfance", "de": "Frühe Kindheit", "en": "Early childhood"},
        {
            "fr": "crèche garderie maman papa bébé allaitement jeux éveil puéricultrice "
            "consultation accueil-de-jour maman-de-jour pédiatre sommeil alimentation "
            "développement langage parentalité pleurs tarif",
            "de": "Kita Spielgruppe Mutter Vater Baby Stillen Spiele Förderung Mütterberatung "
            "Elternberatung Tagesstruktur Tagesmutter Kinderärztin Schlaf Ernährung Entwicklung "
            "Sprachentwicklung Elternschaft Weinen Tarif",
            "en": "nursery playgroup mother father baby breastfeeding games development nurse "
            "consultation day-care childminder paediatrician sleep nutrition growth speech "
            "parenting crying fee",
        },
    ),
    (
        "argent",
        {"fr": "Argent", "de": "Geld", "en": "Money"},
        {
            "fr": "budget impôts banque compte dettes facture aide-sociale déclaration épargne "
            "poursuite salaire-minimum assistance conseiller frais crédit leasing carte-bancaire "
            "virement fiche-de-salaire rappel",
            "de": "Budget Steuern Bank Konto Schulden Rechnung Sozialhilfe Steuererklärung Sparen "
            "Betreibung Mindestlohn Unterstützung Berater Kosten Kredit Leasing Bankkarte "
            "Überweisung Lohnabrechnung Mahnung",
            "en": "budget taxes bank account debts bill welfare declaration savings collection "
            "minimum-wage assistance adviser costs credit leasing bank-card transfer "
            "payslip reminder",
        },
    ),
    (
        "loisirs",
        {"fr": "Loisirs", "de": "Freizeit", "en": "Leisure"},
        {
            "fr": "association sport bibliothèque musique randonnée fête bénévolat culture musée "
            "ski piscine chorale jardin-communautaire club cinéma théâtre atelier sortie "
            "patinoire carnaval",
            "de": "Verein Sport Bibliothek Musik Wanderung Fest Freiwilligenarbeit Kultur Museum "
            "Skifahren Schwimmbad Chor Gemeinschaftsgarten Klub Kino Theater Werkstatt Ausflug "
            "Eisbahn Fasnacht",
            "en": "association sport library music hiking festival volunteering culture museum "
            "skiing swimming-pool choir community-garden club cinema theatre workshop outing "
            "ice-rink carnival",
        },
    ),
    (
        "urgences",
        {"fr": "Urgences", "de": "Notfälle", "en": "Emergencies"},
        {
            "fr": "police ambulance pompiers violence protection hébergement écoute numéro "
            "secours aide médecin-de-garde aide-aux-victimes foyer intoxication avalanche "
            "incendie accident harcèlement menace conseil-juridique",
            "de": "Polizei Ambulanz Feuerwehr Gewalt Schutz Unterkunft Beratungstelefon Nummer "
            "Notruf Hilfe Notfallarzt Opferhilfe Frauenhaus Vergiftung Lawine Brand Unfall "
            "Belästigung Drohung Rechtsberatung",
            "en": "police ambulance firefighters violence protection shelter helpline number "
            "rescue help doctor-on-call victim-support refuge poisoning avalanche fire accident "
            "harassment threat legal-advice",
        },
    ),
]
NOUNS = 20  # per theme and language

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
    "fr": {
        "days": "lundi mardi mercredi jeudi vendredi samedi".split(),
        "about": "ce qu'il faut savoir",
        "steps": "Les étapes",
        "contacts": "Adresses utiles",
        "see": "Voir aussi",
        "office": "Service",
        "commune": "Commune",
        "phone": "Téléphone",
        "street": "rue",
        "home": "Accueil",
        "welcome": "Bienvenue sur le portail d'exemple. Choisissez un thème.",
        "at": "à",
    },
    "de": {
        "days": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag".split(),
        "about": "das Wichtigste",
        "steps": "Die Schritte",
        "contacts": "Nützliche Adressen",
        "see": "Siehe auch",
        "office": "Stelle",
        "commune": "Gemeinde",
        "phone": "Telefon",
        "street": "strasse",
        "home": "Startseite",
        "welcome": "Willkommen auf dem Beispielportal. Wählen Sie ein Thema.",
        "at": "in",
    },
    "en": {
        "days": "Monday Tuesday Wednesday Thursday Friday Saturday".split(),
        "about": "what to know",
        "steps": "The steps",
        "contacts": "Useful addresses",
        "see": "See also",
        "office": "Office",
        "commune": "Commune",
        "phone": "Phone",
        "street": "street",
        "home": "Home",
        "welcome": "Welcome to the example portal. Choose a topic.",
        "at": "in",
    },
}
FIRST = (
    "Anna Marco Fatima Luca Sofia Ahmed Elena Yusuf Chantal Pierre Maria Jonas Aylin "
    "Noah Ines Samuel"
).split()
LAST = (
    "Bonvin Zufferey Imboden Rossier Fournier Theytaz Schmid Salamin Pannatier Carron Gay Favre "
    "Bregy Kalbermatten Mathieu Perruchoud Dorsaz Crettenand Bagnoud Lehner"
).split()
SYLLABLES = "ra ven to mi sa lu pe ri no ka de ba lo ti fe mo ga vi re su cha bre tal"
SYLLABLES_LIST = SYLLABLES.split()
ORG_WORDS = {
    "fr": ["Espace", "Maison", "Centre", "Réseau", "Point"],
    "de": ["Treffpunkt", "Haus", "Zentrum", "Netzwerk", "Forum"],
    "en": ["Space", "House", "Centre", "Network", "Point"],
}

# Pages draw on more than the offers: these frames come after FRAMES (same position, same
# sentence in every language) and may use more slots.
MORE_FRAMES = {
    "fr": [
        "Le premier entretien sur {a} est gratuit et dure environ {minutes} minutes.",
        "Si vous habitez {place} ou {other}, le guichet de {org} est le plus proche.",
        "Depuis {month}, les demandes concernant {a} se font aussi en ligne, mais le guichet "
        "reste ouvert.",
        "Les personnes qui parlent {lang} peuvent demander une traduction des documents sur {b}.",
        "Comptez environ {weeks} semaines entre la demande et la réponse pour {a}.",
        "Les frais pour {b} s'élèvent à {price} francs ; une réduction est possible selon "
        "le revenu.",
        "Gardez bien {doc} : on vous demandera souvent ce document, par exemple pour {a}.",
        "Sans {doc}, le dossier sur {b} ne peut pas être traité ; demandez conseil "
        "avant l'échéance.",
        "{person} a travaillé {n} ans dans le domaine de {a} et connaît bien les démarches.",
        "Les enfants de moins de {age} ans peuvent venir avec vous ; un coin de jeux est prévu.",
        "Appelez le {phone} du lundi au vendredi, le matin, pour toute question sur {c}.",
        "En cas de doute sur {a}, mieux vaut poser la question une fois de trop qu'une fois "
        "de moins.",
        "Chaque année en {month}, la commune de {place} organise une soirée d'accueil pour les "
        "nouveaux habitants.",
        "Les règles sur {a} ne sont pas les mêmes dans tous les cantons ; celles-ci valent "
        "pour le Valais.",
        "Un formulaire en {lang} et en français simple explique {b} pas à pas.",
        "Les bénévoles de {org} accompagnent les familles pour {a} et pour {c}.",
        "Ce service est confidentiel : rien de ce que vous dites sur {b} n'est transmis sans "
        "votre accord.",
        "Vous pouvez venir seul ou avec une personne de confiance.",
        "Le bureau est accessible en fauteuil roulant et se trouve au rez-de-chaussée, {street}.",
        "Pour {a}, la réponse arrive en général dans les {n} jours ouvrables.",
        "Si vous déménagez, annoncez votre nouvelle adresse à la commune dans les {n} jours, "
        "aussi pour {b}.",
        "Les horaires changent pendant les vacances scolaires ; consultez le site de {org} "
        "avant de venir.",
        "Une permanence téléphonique en {lang} a lieu le {day} de {time}.",
        "Notez vos questions sur {a} avant le rendez-vous : l'entretien sera plus court et "
        "plus utile.",
        "Le canton prend en charge une partie des frais de {c} pour les personnes à "
        "revenu modeste.",
        "Le réseau {org} publie chaque année une brochure sur {a}, {b} et {c}, aussi en {lang}.",
        "Les questions sur {a} reviennent souvent au printemps, quand beaucoup de "
        "familles arrivent.",
        "Le guichet social régional de {place} vous oriente si vous ne savez pas à qui "
        "vous adresser.",
        "Le projet {project}, soutenu par la commune de {place}, propose {a} en petits groupes.",
        "Depuis {month}, le programme {project} aide aussi les familles pour {b}.",
        "Au lieu-dit {project}, près de {place}, une navette relie le quartier à {other} le {day}.",
        "{person} coordonne le groupe {project} et répond aux questions sur {c}.",
    ],
    "de": [
        "Das erste Gespräch zu {a} ist kostenlos und dauert etwa {minutes} Minuten.",
        "Wenn Sie in {place} oder {other} wohnen, ist der Schalter von {org} am nächsten.",
        "Seit {month} können Anträge zu {a} auch online gestellt werden, der Schalter bleibt "
        "aber offen.",
        "Wer {lang} spricht, kann eine Übersetzung der Unterlagen zu {b} verlangen.",
        "Rechnen Sie mit etwa {weeks} Wochen zwischen Antrag und Antwort für {a}.",
        "Die Kosten für {b} betragen {price} Franken; je nach Einkommen ist eine "
        "Ermässigung möglich.",
        "Bewahren Sie {doc} gut auf: Dieses Dokument wird oft verlangt, zum Beispiel für {a}.",
        "Fehlt {doc}, kann das Dossier zu {b} nicht bearbeitet werden; lassen Sie sich vor Ablauf "
        "der Frist beraten.",
        "{person} hat {n} Jahre im Bereich {a} gearbeitet und kennt die Abläufe gut.",
        "Kinder unter {age} Jahren können mitkommen; eine Spielecke ist vorhanden.",
        "Rufen Sie von Montag bis Freitag vormittags {phone} an, wenn Sie Fragen zu {c} haben.",
        "Wenn Sie bei {a} unsicher sind, fragen Sie lieber einmal zu viel als einmal zu wenig.",
        "Jedes Jahr im {month} lädt die Gemeinde {place} zu einem Willkommensabend für "
        "Neuzugezogene ein.",
        "Die Regeln zu {a} sind nicht in allen Kantonen gleich; diese hier gelten für das Wallis.",
        "Ein Formular auf {lang} und in einfachem Deutsch erklärt {b} Schritt für Schritt.",
        "Die Freiwilligen von {org} begleiten Familien bei {a} und bei {c}.",
        "Die Beratung ist vertraulich: Was Sie über {b} sagen, wird nicht ohne Ihr Einverständnis "
        "weitergegeben.",
        "Sie können allein kommen oder eine Vertrauensperson mitbringen.",
        "Das Büro ist rollstuhlgängig und liegt im Erdgeschoss, {street}.",
        "Für {a} kommt die Antwort in der Regel innert {n} Arbeitstagen.",
        "Wenn Sie umziehen, melden Sie der Gemeinde Ihre neue Adresse innert {n} Tagen, "
        "auch wegen {b}.",
        "In den Schulferien gelten andere Öffnungszeiten; schauen Sie vor dem Besuch auf der "
        "Website von {org} nach.",
        "Eine telefonische Sprechstunde auf {lang} findet am {day} von {time} statt.",
        "Notieren Sie Ihre Fragen zu {a} vor dem Termin: So wird das Gespräch kürzer "
        "und nützlicher.",
        "Der Kanton übernimmt für Menschen mit kleinem Einkommen einen Teil der Kosten für {c}.",
        "Das Netzwerk {org} gibt jedes Jahr eine Broschüre zu {a}, {b} und {c} heraus, auch "
        "auf {lang}.",
        "Fragen zu {a} kommen oft im Frühling, wenn viele Familien ankommen.",
        "Der regionale Sozialdienst in {place} hilft weiter, wenn Sie nicht wissen, an wen Sie "
        "sich wenden sollen.",
        "Das Projekt {project}, unterstützt von der Gemeinde {place}, bietet {a} in "
        "kleinen Gruppen an.",
        "Seit {month} hilft das Programm {project} Familien auch bei {b}.",
        "Im Weiler {project} bei {place} verbindet am {day} ein Shuttle das Quartier mit {other}.",
        "{person} koordiniert die Gruppe {project} und beantwortet Fragen zu {c}.",
    ],
    "en": [
        "The first interview about {a} is free and lasts about {minutes} minutes.",
        "If you live in {place} or {other}, the {org} counter is the closest.",
        "Since {month}, requests about {a} can also be made online, but the counter stays open.",
        "People who speak {lang} can ask for a translation of the documents about {b}.",
        "Allow about {weeks} weeks between the request and the answer for {a}.",
        "The fees for {b} are {price} francs; a reduction is possible depending on income.",
        "Keep {doc} safe: you will often be asked for this document, for example for {a}.",
        "Without {doc}, the file about {b} cannot be processed; ask for advice before "
        "the deadline.",
        "{person} worked for {n} years in the field of {a} and knows the procedures well.",
        "Children under {age} can come with you; there is a play corner.",
        "Call {phone} from Monday to Friday, in the morning, with any question about {c}.",
        "If you are unsure about {a}, it is better to ask once too often than once too little.",
        "Every year in {month}, the commune of {place} holds a welcome evening for new residents.",
        "The rules about {a} are not the same in every canton; these apply to Valais.",
        "A form in {lang} and in plain English explains {b} step by step.",
        "The volunteers of {org} support families with {a} and with {c}.",
        "This service is confidential: nothing you say about {b} is passed on without "
        "your consent.",
        "You can come alone or with a person you trust.",
        "The office is wheelchair accessible and on the ground floor, {street}.",
        "For {a}, the answer usually comes within {n} working days.",
        "If you move, tell the commune your new address within {n} days, also for {b}.",
        "Opening hours change during the school holidays; check the {org} website before you come.",
        "A telephone helpline in {lang} is open on {day} from {time}.",
        "Write down your questions about {a} before the appointment: the meeting will be shorter "
        "and more useful.",
        "The canton pays part of the costs of {c} for people on a low income.",
        "The {org} network publishes a brochure every year about {a}, {b} and {c}, also in {lang}.",
        "Questions about {a} often come up in spring, when many families arrive.",
        "The regional social office in {place} can guide you if you do not know whom to ask.",
        "The {project} project, supported by the commune of {place}, offers {a} in small groups.",
        "Since {month}, the {project} programme also helps families with {b}.",
        "In the hamlet of {project}, near {place}, a shuttle links the area to {other} on {day}.",
        "{person} coordinates the {project} group and answers questions about {c}.",
    ],
}
HEADINGS = {
    "fr": [
        "{A} : ce qu'il faut savoir",
        "Qui peut vous aider pour {a} ?",
        "Vos droits et vos devoirs",
        "Documents à préparer",
        "Coûts et aides financières",
        "Horaires et rendez-vous",
        "Pour les familles",
        "Si vous venez d'arriver",
        "{A} et {b}",
        "Conseils pratiques",
        "À {place}",
        "En {lang} et en français simple",
        "{A} pas à pas",
        "Après le rendez-vous",
    ],
    "de": [
        "{A}: das Wichtigste",
        "Wer hilft bei {a}?",
        "Ihre Rechte und Pflichten",
        "Unterlagen vorbereiten",
        "Kosten und finanzielle Hilfe",
        "Öffnungszeiten und Termine",
        "Für Familien",
        "Wenn Sie neu angekommen sind",
        "{A} und {b}",
        "Praktische Tipps",
        "In {place}",
        "Auf {lang} und in einfachem Deutsch",
        "{A} Schritt für Schritt",
        "Nach dem Termin",
    ],
    "en": [
        "{A}: what to know",
        "Who can help with {a}?",
        "Your rights and duties",
        "Documents to prepare",
        "Costs and financial help",
        "Opening hours and appointments",
        "For families",
        "If you have just arrived",
        "{A} and {b}",
        "Practical tips",
        "In {place}",
        "In {lang} and plain English",
        "{A} step by step",
        "After the appointment",
    ],
}
DOCS_HEADING, STEPS_HEADING = 3, 12
GENERAL_HEADINGS = [i for i in range(len(HEADINGS["en"])) if i not in (DOCS_HEADING, STEPS_HEADING)]
QUESTIONS = {
    "fr": [
        "Faut-il parler français pour {a} ?",
        "Combien coûte {a} ?",
        "Que faire s'il me manque {doc} ?",
        "Qui paie {b} ?",
        "Où trouver de l'aide pour {a} à {place} ?",
        "Combien de temps faut-il pour {b} ?",
        "Puis-je venir avec mes enfants ?",
        "Mon employeur doit-il être informé de {c} ?",
        "Que se passe-t-il si je déménage ?",
        "Existe-t-il des informations en {lang} ?",
    ],
    "de": [
        "Muss ich für {a} Deutsch sprechen?",
        "Was kostet {a}?",
        "Was tun, wenn {doc} fehlt?",
        "Wer bezahlt {b}?",
        "Wo finde ich in {place} Hilfe bei {a}?",
        "Wie lange dauert {b}?",
        "Kann ich meine Kinder mitbringen?",
        "Muss mein Arbeitgeber über {c} informiert werden?",
        "Was passiert, wenn ich umziehe?",
        "Gibt es Informationen auf {lang}?",
    ],
    "en": [
        "Do I need to speak the language for {a}?",
        "How much does {a} cost?",
        "What if I do not have {doc}?",
        "Who pays for {b}?",
        "Where can I find help with {a} in {place}?",
        "How long does {b} take?",
        "Can I bring my children?",
        "Does my employer need to know about {c}?",
        "What happens if I move?",
        "Is there information in {lang}?",
    ],
}
STEPS = {
    "fr": [
        "Rassemblez {doc} et une pièce d'identité.",
        "Prenez rendez-vous auprès de {org} au {phone}.",
        "Remplissez le formulaire sur {a} ; demandez de l'aide si besoin.",
        "Présentez-vous au guichet de {place} le {day} de {time}.",
        "Attendez la confirmation écrite, en général après {weeks} semaines.",
        "Payez l'émolument de {price} francs au guichet ou par virement.",
        "Gardez une copie de tous les documents sur {b}.",
        "Annoncez tout changement concernant {c} dans les {n} jours.",
        "Si la réponse est négative, demandez une explication écrite.",
        "Contactez {person} si vous avez une question sur {a}.",
        "Inscrivez-vous à la séance d'information sur {b}.",
        "Vérifiez chaque année que {a} est toujours à jour.",
    ],
    "de": [
        "Legen Sie {doc} und einen Ausweis bereit.",
        "Vereinbaren Sie bei {org} unter {phone} einen Termin.",
        "Füllen Sie das Formular zu {a} aus; fragen Sie bei Bedarf nach Hilfe.",
        "Gehen Sie am {day} von {time} an den Schalter in {place}.",
        "Warten Sie die schriftliche Bestätigung ab, meist nach {weeks} Wochen.",
        "Bezahlen Sie die Gebühr von {price} Franken am Schalter oder per Überweisung.",
        "Bewahren Sie eine Kopie aller Unterlagen zu {b} auf.",
        "Melden Sie jede Änderung bei {c} innert {n} Tagen.",
        "Wenn die Antwort negativ ist, verlangen Sie eine schriftliche Begründung.",
        "Wenden Sie sich an {person}, wenn Sie eine Frage zu {a} haben.",
        "Melden Sie sich für die Informationsveranstaltung zu {b} an.",
        "Prüfen Sie jedes Jahr, ob {a} noch aktuell ist.",
    ],
    "en": [
        "Gather {doc} and an identity document.",
        "Make an appointment with {org} on {phone}.",
        "Fill in the form about {a}; ask for help if needed.",
        "Go to the counter in {place} on {day} from {time}.",
        "Wait for the written confirmation, usually after {weeks} weeks.",
        "Pay the fee of {price} francs at the counter or by transfer.",
        "Keep a copy of every document about {b}.",
        "Report any change concerning {c} within {n} days.",
        "If the answer is negative, ask for a written explanation.",
        "Contact {person} if you have a question about {a}.",
        "Sign up for the information session about {b}.",
        "Check every year that {a} is still up to date.",
    ],
}
# German documents are feminine, neuter or plural: the frames use them as subject and object alike.
DOCS = {
    "fr": [
        "le passeport",
        "le permis de séjour",
        "le contrat de bail",
        "les fiches de salaire",
        "l'attestation d'assurance-maladie",
        "l'acte de naissance",
        "la dernière décision de taxation",
        "le contrat de travail",
        "le livret de famille",
        "le carnet de vaccination",
        "le certificat de langue",
        "le bulletin scolaire",
        "l'attestation de domicile",
        "les relevés bancaires",
    ],
    "de": [
        "das Reisedokument",
        "die Aufenthaltsbewilligung",
        "die Kopie des Mietvertrags",
        "die Lohnabrechnungen",
        "die Versicherungsbestätigung",
        "die Geburtsurkunde",
        "die letzte Steuerveranlagung",
        "die Kopie des Arbeitsvertrags",
        "das Familienbüchlein",
        "das Impfbüchlein",
        "das Sprachzertifikat",
        "das Schulzeugnis",
        "die Wohnsitzbestätigung",
        "die Kontoauszüge",
    ],
    "en": [
        "the passport",
        "the residence permit",
        "the lease",
        "the payslips",
        "the health insurance certificate",
        "the birth certificate",
        "the last tax assessment",
        "the employment contract",
        "the family record book",
        "the vaccination record",
        "the language certificate",
        "the school report",
        "the certificate of residence",
        "the bank statements",
    ],
}
LANG_NAMES = {
    "fr": "arabe tigrinya portugais ukrainien turc espagnol albanais tamoul dari somali farsi "
    "anglais kurde serbe".split(),
    "de": "Arabisch Tigrinya Portugiesisch Ukrainisch Türkisch Spanisch Albanisch Tamilisch Dari "
    "Somali Farsi Englisch Kurdisch Serbisch".split(),
    "en": "Arabic Tigrinya Portuguese Ukrainian Turkish Spanish Albanian Tamil Dari Somali Farsi "
    "English Kurdish Serbian".split(),
}
MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre "
    "novembre décembre".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober "
    "November Dezember".split(),
    "en": "January February March April May June July August September October "
    "November December".split(),
}
PAGE_WORDS = {
    "fr": {
        "important": "**Important :**",
        "tip": "**Bon à savoir :**",
        "also": "Voir aussi [{title}]({rel}).",
        "faq": "Questions fréquentes",
        "hours": "Horaires",
        "docs_intro": "Préparez si possible :",
        "time": "{h}h{m} à {h2}h{m}",
        "street": "rue {name} {n}",
        "phone": "027 {a} {b} {c}",
    },
    "de": {
        "important": "**Wichtig:**",
        "tip": "**Gut zu wissen:**",
        "also": "Siehe auch [{title}]({rel}).",
        "faq": "Häufige Fragen",
        "hours": "Öffnungszeiten",
        "docs_intro": "Bereiten Sie wenn möglich vor:",
        "time": "{h}.{m} bis {h2}.{m} Uhr",
        "street": "{name}strasse {n}",
        "phone": "027 {a} {b} {c}",
    },
    "en": {
        "important": "**Important:**",
        "tip": "**Good to know:**",
        "also": "See also [{title}]({rel}).",
        "faq": "Frequently asked questions",
        "hours": "Hours",
        "docs_intro": "If you can, prepare:",
        "time": "{h}:{m} to {h2}:{m}",
        "street": "{n} {name} Street",
        "phone": "027 {a} {b} {c}",
    },
}
MORE_FIRST = (
    "Kofi Amina Dawit Olena Mehmet Luan Priya Tenzin Jamal Zeynep Hamid Rosa Bruno Léa Nadia Rahel "
    "Omar Selam Ivana Dimitri Mariam Thomas Nicole Stefan Ursula Beat Sandrine Yves Martina Reto"
).split()
MORE_LAST = (
    "Zenklusen Amacker Clavien Morard Constantin Héritier Vouilloz Jordan Gillioz Rey Michellod "
    "Tornay Andenmatten Summermatter Pitteloud Savioz Fellay Luyet Darbellay Schnyder"
).split()


def _bank(lang: str) -> str:
    return lang if lang in FRAMES else "en"


def _name(rng: random.Random) -> str:
    """A made-up proper noun: the long tail of a real site's vocabulary."""
    return "".join(rng.choice(SYLLABLES_LIST) for _ in range(rng.randint(2, 3))).capitalize()


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_MASK = (1 << 64) - 1
_ODD = [
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD,
    0xC4CEB9FE1A85EC53,
    0x94D049BB133111EB,
    0xBF58476D1CE4E5B9,
    0x27D4EB2F165667C5,
    0x85EBCA77C2B2AE63,
    0xA0761D6478BD642F,
    0xE7037ED1A0B428DB,
    0x8EBC6AF09C88C6E3,
    0x589965CC75374CC3,
    0x1D8E4E27C47D124F,
    0x2127599BF4325C37,
]
_ELISION = re.compile(
    r"\b([Dd]e|[Qq]ue|[Ll]e|[Ll]a|[Nn]e|[Ss]e) (?=[aeiouyéèêàâîôhAEIOUÉÈÊÀÂÎÔH])(?!harc|Haut)"
)


def _pick(x: int, slot: int, count: int) -> int:
    """The `slot`-th choice among `count` drawn from one random number: a sentence's choices do
    not depend on which slots its frame uses, nor in what order, so every language of a
    translated page makes the same ones."""
    return (((x * _ODD[slot]) & _MASK) >> 24) % count


LEXICON = len(SYLLABLES_LIST) ** 4  # made-up names the pages draw from, the most frequent first


def _lexicon_name(rank: int) -> str:
    """The made-up name of this rank: frequent names are short (two syllables), rare ones long."""
    count, digits, rank = len(SYLLABLES_LIST), [], rank + len(SYLLABLES_LIST)
    while rank:
        rank, digit = divmod(rank, count)
        digits.append(SYLLABLES_LIST[digit])
    return "".join(reversed(digits)).capitalize()


def _zipf(x: int, slot: int) -> str:
    """A name drawn with Zipf's law (frequency 1/rank) from the lexicon, as proper nouns occur on
    a real site: a few everywhere, most on one or two pages, new ones with every new page."""
    u = (((x * _ODD[slot]) & _MASK) >> 11) / (1 << 53)
    return _lexicon_name(int(math.exp(u * math.log(LEXICON + 1))) - 1)


def _elide(text: str) -> str:
    """French elision where a frame's "de", "que", "le"... meet a word starting with a vowel."""
    return _ELISION.sub(lambda m: m.group(1)[:-1] + "'", text)


class Page:
    """One page in every language: the choices that make its translations the same page."""

    def __init__(self, number: int, rng: random.Random, pages: int):
        self.theme = THEMES[number % len(THEMES)]
        self.commune = COMMUNES[rng.randrange(len(COMMUNES))]
        self.path = f"{self.theme[0]}/{self.theme[0]}-{number:04d}.md"
        self.links = [rng.randrange(pages) for _ in range(rng.randint(3, 6))]
        self.seed = rng.randrange(1 << 30)
        self.nouns = rng.sample(range(NOUNS), 8)
        first, last = FIRST + MORE_FIRST, LAST + MORE_LAST
        self.people = [
            f"{rng.choice(first)} "
            f"{rng.choice(last) if rng.random() < 0.6 else _zipf(rng.getrandbits(64), 0)}"
            for _ in range(3)
        ]
        self.orgs = [_zipf(rng.getrandbits(64), 0) for _ in range(3)]
        self.streets = [_zipf(rng.getrandbits(64), 0) for _ in range(2)]
        self.updated = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
        # Sections after the introduction: most pages are short, a few are long (log-normal), about
        # 5.9 kB on average. The quantile comes from the page number (golden-ratio steps), not from
        # the random stream, so that every size of the corpus has the same mix of lengths: the
        # Markdown grows linearly with N, as the benchmark's linear-growth target assumes.
        quantile = min(max((number * 0.6180339887498949 + 0.5) % 1.0, 1e-6), 1 - 1e-6)
        self.sections = max(
            1, min(16, round(math.exp(1.545 + 0.5 * NormalDist().inv_cdf(quantile))))
        )


class _Writer:
    """The text of one page in one language; every random choice is the same in every language."""

    def __init__(self, page: Page, lang: str, all_pages: list[Page]):
        self.page, self.all_pages = page, all_pages
        self.bank = bank = _bank(lang)
        self.rng = random.Random(page.seed)
        self.words, self.more = WORDS[bank], PAGE_WORDS[bank]
        self.nouns = page.theme[2][bank].split()
        self.frames = FRAMES[bank] + MORE_FRAMES[bank]
        self.french = bank == "fr"

    def link(self, target: int) -> tuple[str, str]:
        other = self.all_pages[target]
        here = self.page.path.split("/")[0]
        rel = ("../" + other.path) if other.path.split("/")[0] != here else other.path.split("/")[1]
        return f"{other.theme[1][self.bank]} {self.words['at']} {other.commune[0]}", rel

    def fill(self, template: str) -> str:
        x, y, page, bank, more = (
            self.rng.getrandbits(64),
            self.rng.getrandbits(64),
            self.page,
            self.bank,
            self.more,
        )
        noun = [self.nouns[page.nouns[_pick(x, k, len(page.nouns))]] for k in range(3)]
        hour = 8 + _pick(x, 3, 9)
        values = {
            "a": noun[0],
            "b": noun[1],
            "c": noun[2],
            "A": noun[0][:1].upper() + noun[0][1:],
            "place": page.commune[0] if _pick(x, 4, 3) else COMMUNES[_pick(x, 5, len(COMMUNES))][0],
            "other": COMMUNES[_pick(x, 5, len(COMMUNES))][0],
            "person": page.people[_pick(x, 6, len(page.people))]
            if _pick(y, 7, 2)
            else f"{(FIRST + MORE_FIRST)[_pick(y, 8, len(FIRST + MORE_FIRST))]} {_zipf(y, 9)}",
            "org": f"{ORG_WORDS[bank][_pick(x, 7, len(ORG_WORDS[bank]))]} "
            f"{page.orgs[_pick(x, 8, 3)] if _pick(y, 6, 3) == 0 else _zipf(y, 1)}",
            "day": self.words["days"][_pick(x, 9, 6)],
            "time": more["time"].format(h=hour, h2=hour + 2, m=("00", "30")[_pick(x, 10, 2)]),
            "street": more["street"].format(
                name=page.streets[_pick(x, 10, 2)] if _pick(y, 3, 2) else _zipf(y, 2),
                n=1 + _pick(x, 11, 60),
            ),
            "project": _zipf(y, 4),
            "neworg": f"{ORG_WORDS[bank][_pick(x, 7, len(ORG_WORDS[bank]))]} {_zipf(y, 5)}",
            "doc": DOCS[bank][_pick(x, 12, len(DOCS[bank]))],
            "lang": LANG_NAMES[bank][_pick(x, 13, len(LANG_NAMES[bank]))],
            "month": MONTHS[bank][_pick(x, 14, 12)],
            "n": 2 + _pick(x, 15, 29),
            "minutes": (20, 30, 45, 60, 90)[_pick(x, 11, 5)],
            "weeks": 2 + _pick(x, 13, 11),
            "price": (20, 30, 50, 80, 120, 150, 250, 400)[_pick(x, 14, 8)],
            "age": 4 + _pick(x, 12, 9),
            "phone": more["phone"].format(
                a=100 + _pick(x, 1, 900), b=10 + _pick(x, 2, 90), c=10 + _pick(x, 0, 90)
            ),
        }
        text = template.format_map(values)
        text = text[:1].upper() + text[1:]
        return _elide(text) if self.french else text

    def sentence(self) -> str:
        return self.fill(self.frames[self.rng.randrange(len(self.frames))])

    def paragraph(self, low: int = 2, high: int = 6) -> str:
        text = " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))
        if self.rng.random() < 0.3:  # a link to another page inside the prose
            title, rel = self.link(self.rng.randrange(len(self.all_pages)))
            text += " " + self.more["also"].format(title=title, rel=rel)
        return text

    def heading(self, kind: str = "") -> str:
        """A section heading: its kind's own (documents, steps, questions) or a general one."""
        headings, rng = HEADINGS[self.bank], self.rng
        if kind == "docs":
            return headings[DOCS_HEADING]
        if kind == "steps" and rng.random() < 0.5:
            return self.fill(headings[STEPS_HEADING])
        if kind == "faq":
            return self.more["faq"]
        return self.fill(headings[rng.choice(GENERAL_HEADINGS)])

    def section(self) -> list[str]:
        rng, more = self.rng, self.more
        kind = rng.choices(
            ("prose", "steps", "docs", "subsections", "faq", "tips"),
            weights=(30, 20, 12, 15, 13, 10),
        )[0]
        lines = [f"## {self.heading(kind)}", ""]
        if kind == "prose":
            lines += [self.paragraph(), "", self.paragraph(), ""]
        elif kind == "steps":
            steps = STEPS[self.bank]
            lines += [self.paragraph(1, 3), ""]
            lines += [
                f"{i + 1}. {self.fill(steps[rng.randrange(len(steps))])}"
                for i in range(rng.randint(3, 7))
            ]
            lines += ["", self.paragraph(2, 4), ""]
        elif kind == "docs":
            lines += [self.paragraph(1, 3), "", more["docs_intro"], ""]
            lines += [f"- {self.fill('{doc}')}" for _ in range(rng.randint(3, 6))]
            lines += ["", f"> {more['important']} {self.sentence()}", ""]
        elif kind == "subsections":
            lines += [self.paragraph(1, 3), ""]
            for _ in range(rng.randint(2, 3)):
                lines += [f"### {self.heading()}", "", self.paragraph(), ""]
        elif kind == "faq":
            questions = QUESTIONS[self.bank]
            for _ in range(rng.randint(2, 4)):
                lines += [
                    f"### {self.fill(questions[rng.randrange(len(questions))])}",
                    "",
                    self.paragraph(1, 4),
                    "",
                ]
        else:
            lines += [self.paragraph(1, 2), ""]
            lines += [
                f"- **{self.fill('{A}')}**: {self.sentence()}" for _ in range(rng.randint(3, 6))
            ]
            lines += ["", f"{more['tip']} {self.sentence()}", ""]
        return lines

    def text(self) -> str:
        page, rng, words, more = self.page, self.rng, self.words, self.more
        nouns = self.nouns
        title = (
            f"{page.theme[1][self.bank]} {words['at']} {page.commune[0]}: {nouns[page.nouns[0]]}"
        )
        keywords = ", ".join(_q(nouns[i]) for i in page.nouns[:3])
        summary = self.sentence()
        lines = [
            "---",
            f"title: {_q(title)}",
            f"summary: {_q(summary)}",
            f"keywords: [{keywords}]",
            f"updated: {page.updated}",
            "---",
            self.paragraph(3, 5),
            "",
        ]
        table_at = rng.randrange(page.sections + 1)
        for number in range(page.sections + 1):
            if number == table_at:
                lines += [
                    f"## {words['contacts']}",
                    "",
                    self.paragraph(1, 2),
                    "",
                    f"| {words['office']} | {words['commune']} | {words['phone']} | "
                    f"{more['hours']} |",
                    "|---|---|---|---|",
                ]
                for _ in range(rng.randint(3, 8)):
                    row = self.fill("| {neworg} | {other} | {phone} | {day}, {time} |")
                    lines.append(row)
                lines.append("")
            if number < page.sections:
                lines += self.section()
        lines += [f"## {words['see']}", ""]
        for target in page.links:
            title, rel = self.link(target)
            lines.append(f"- [{title}]({rel})")
        lines.append("")
        return "\n".join(lines)


def page_text(page: Page, lang: str, all_pages: list[Page]) -> str:
    return _Writer(page, lang, all_pages).text()


def home_text(lang: str, pages: list[Page]) -> str:
    words = WORDS[_bank(lang)]
    firsts: dict[str, Page] = {}
    for page in pages:
        firsts.setdefault(page.theme[0], page)
    lines = ["---", f"title: {_q(words['home'])}", "---", words["welcome"], ""]
    lines += [f"- [{p.theme[1][_bank(lang)]}]({p.path})" for p in firsts.values()]
    return "\n".join(lines) + "\n"


COURSE_LANG = {
    "fr": {"fr": "Français", "de": "Französisch", "en": "French"},
    "de": {"fr": "Allemand", "de": "Deutsch", "en": "German"},
}
TIMES = [
    {"fr": "du matin", "de": "am Morgen", "en": "morning"},
    {"fr": "du soir", "de": "am Abend", "en": "evening"},
    {"fr": "intensif", "de": "intensiv", "en": "intensive"},
    {"fr": "du samedi", "de": "am Samstag", "en": "Saturday"},
]
TOPICS = [
    {"fr": "social", "de": "Sozialberatung", "en": "social"},
    {"fr": "juridique", "de": "Rechtsberatung", "en": "legal"},
    {"fr": "emploi", "de": "Stellensuche", "en": "job search"},
    {"fr": "budget", "de": "Budgetberatung", "en": "budget"},
    {"fr": "logement", "de": "Wohnungssuche", "en": "housing"},
]


def offer_yaml(n: int, rng: random.Random, langs: list[str]) -> tuple[str, str]:
    kind = rng.choices(list(KINDS), weights=[40, 20, 10, 15, 15])[0]
    commune, postcode, region, clang, lat, lon = COMMUNES[rng.randrange(len(COMMUNES))]
    slug = commune.lower().replace("è", "e").replace("é", "e").replace(" ", "-")
    levels: list[str] = []
    if kind == "course":
        level = rng.choice(["A1", "A2", "B1", "B2"])
        levels = (
            [level]
            if rng.random() < 0.7
            else [level, {"A1": "A2", "A2": "B1", "B1": "B2", "B2": "C1"}[level]]
        )
        time = rng.choice(TIMES)
        title = {
            lang_: f"{COURSE_LANG[clang][_bank(lang_)]} {' '.join(levels)} {time[_bank(lang_)]}"
            for lang_ in ("fr", "de", "en")
        }
        title["en"] = f"{time['en'].capitalize()} {COURSE_LANG[clang]['en']} {' '.join(levels)}"
        taught = [clang]
    elif kind == "counselling":
        topic = rng.choice(TOPICS)
        title = {
            "fr": f"Conseil {topic['fr']} à {commune}",
            "de": f"{topic['de']} in {commune}",
            "en": f"{topic['en'].capitalize()} counselling in {commune}",
        }
        taught = sorted({clang, rng.choice(["fr", "de", "en", "pt", "es", "ar", "ti", "uk"])})
    elif kind == "delegate":
        title = {
            "fr": f"Délégué·e à l'intégration de {commune}",
            "de": f"Integrationsdelegierte {commune}",
            "en": f"Integration delegate for {commune}",
        }
        taught = sorted({clang, "en"})
    elif kind == "early-childhood":
        title = {
            "fr": f"Groupe de jeux parents-enfants {commune}",
            "de": f"Eltern-Kind-Spielgruppe {commune}",
            "en": f"Parent and child playgroup {commune}",
        }
        taught = [clang]
    else:
        theme = THEMES[rng.randrange(len(THEMES))]
        title = {
            "fr": f"Séance d'accueil : {theme[1]['fr'].lower()}",
            "de": f"Willkommensanlass: {theme[1]['de']}",
            "en": f"Welcome session: {theme[1]['en'].lower()}",
        }
        taught = [clang]
    provider = f"{rng.choice(ORG_WORDS['fr' if clang == 'fr' else 'de'])} {_name(rng)}"
    day = rng.randrange(5)
    hours = f"{rng.randint(8, 18)}h{rng.choice(['00', '30'])}"
    free = rng.random() < 0.3
    price = 0 if free else rng.choice([40, 60, 120, 180, 240, 320])
    childcare = rng.random() < 0.35
    audiences = sorted(rng.sample(list(AUDIENCES), rng.randint(1, 2)))

    theme_of_kind = {
        "course": 4,
        "counselling": rng.choice([0, 1, 5, 9]),
        "delegate": 6,
        "early-childhood": 8,
    }
    theme_index = theme_of_kind.get(kind, n % len(THEMES))

    def text(kind_lang: str) -> dict[str, str]:
        b = _bank(kind_lang)
        nouns = THEMES[theme_index][2][b].split()
        frame = FRAMES[b][(n * 7 + 3) % len(FRAMES[b])]
        return {
            "summary": frame.format(
                a=nouns[0],
                b=nouns[1],
                c=nouns[2],
                place=commune,
                person=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                org=provider,
                day=WORDS[b]["days"][day],
                time=hours,
                street=f"{_name(rng)}{WORDS[b]['street']} 3",
            ),
            "schedule": f"{WORDS[b]['days'][day]}, {hours}-{int(hours[:-3]) + 2}h{hours[-2:]}",
        }

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
        lines = [
            FRAMES[b][r.randrange(14)].format(
                a=nouns[r.randrange(10)],
                b=nouns[r.randrange(10)],
                c=nouns[r.randrange(10)],
                place=commune,
                person=f"{r.choice(FIRST)} {r.choice(LAST)}",
                org=provider,
                day=WORDS[b]["days"][day],
                time=hours,
                street=f"{_name(r)}{WORDS[b]['street']} 3",
            )
            for _ in range(2)
        ]
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
        f'  contact: {{phone: "+41 27 000 {rng.randint(10, 99)} {rng.randint(10, 99)}", email: '
        f'"info-{n}@example.ch", website: "https://example.ch/offers/{n}"}}',
        '  opening_hours: "Mo-Fr 08:30-11:30"',
        "  starts: 2026-09-01",
        "  ends: 2030-06-30",
        "  reviewed: 2026-08-15",
        "",
    ]
    return kind, "\n".join(out)


def lean_offer_yaml(n: int, rng: random.Random) -> tuple[str, str]:
    """An offer of about 150 bytes, like those of issue 16's file (4.9 MB for 32,000 offers).

    The required fields, a commune and one language, one title for every language (5 MB is the
    limit of an offers file).
    """
    kind = rng.choices(list(KINDS), weights=[40, 20, 10, 15, 15])[0]
    commune, _, region, clang, _, _ = COMMUNES[rng.randrange(len(COMMUNES))]
    slug = commune.lower().replace("è", "e").replace("é", "e").replace(" ", "-")
    title = f"{KINDS[kind]['fr']} {commune} {n}"
    return kind, "\n".join(
        [
            f"- id: {slug}-{kind}-{n:05d}",
            f"  kind: {kind}",
            f"  region: {region}",
            f"  commune: {_q(commune)}",
            f"  title: {_q(title)}",
            f"  languages: [{clang}]",
            "",
        ]
    )


def site_yaml(langs: list[str]) -> str:
    def local(names: dict[str, str]) -> str:
        return "{" + ", ".join(f"{lang_}: {_q(names[_bank(lang_)])}" for lang_ in langs) + "}"

    lines = [
        "# Synthetic benchmark site written by bench/corpus.py: every name, address and number "
        "is invented.",
        "title: "
        + local(
            {"fr": "Portail synthétique", "de": "Synthetisches Portal", "en": "Synthetic portal"}
        ),
        'base_url: "https://bench.example.ch/"',
        f"default_language: {langs[0]}",
        f"languages: [{', '.join(langs)}]",
    ]
    for key, terms in (("regions", REGIONS), ("kinds", KINDS), ("audiences", AUDIENCES)):
        lines.append(f"{key}:")
        for term_id, names in terms.items():
            lines += [f"  - id: {term_id}", f"    name: {local(names)}"]
    return "\n".join(lines) + "\n"


def write_corpus(
    out: Path,
    pages: int,
    offers: int,
    langs: list[str],
    seed: int = 1,
    one_file: bool = False,
    lean: bool = False,
) -> None:
    """Write the synthetic site into `out` (which must not hold another site's content).

    The offers go to one file per kind, or with `one_file` all to content/offers/offers.yaml;
    `lean` offers have only a few fields (issue 16: one 4.9 MB file of 32,000 offers)."""
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
        kind, text = lean_offer_yaml(n, offer_rng) if lean else offer_yaml(n, offer_rng, langs)
        by_kind.setdefault(kind, []).append(text)
    (out / "content" / "offers").mkdir(parents=True, exist_ok=True)
    files = (
        {"offers": [e for _, entries in sorted(by_kind.items()) for e in entries]}
        if one_file
        else by_kind
    )
    for name, entries in sorted(files.items()):
        (out / "content" / "offers" / f"{name}.yaml").write_text(
            "# Synthetic offers.\n\n" + "\n".join(entries), encoding="utf-8"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--pages", type=int, default=100, help="pages per language (plus a home page)"
    )
    parser.add_argument("--offers", type=int, default=50)
    parser.add_argument("--langs", default="fr,de,en")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--one-file", action="store_true", help="every offer in content/offers/offers.yaml"
    )
    parser.add_argument(
        "--lean", action="store_true", help="offers of a few fields (about 150 bytes each)"
    )
    args = parser.parse_args(argv)
    if (args.out / "content").exists() and any((args.out / "content").iterdir()):
        print(f"{args.out}/content is not empty: choose an empty folder", file=sys.stderr)
        return 2
    write_corpus(
        args.out,
        args.pages,
        args.offers,
        [x.strip() for x in args.langs.split(",") if x.strip()],
        args.seed,
        args.one_file,
        args.lean,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Synthetic fact-check claims for bench/similar.py: templates in six languages, filled with places,
figures and years, then repeated with attributions and tails so that every quote is distinct and
most claims have earlier near-repeats, as an archive has."""

from __future__ import annotations

import random

PLACES = [
    "Leeds", "Lyon", "Hamburg", "Sevilla", "Porto", "Napoli", "Glasgow", "Marseille", "Köln", "Valencia",
    "Lisboa", "Torino", "Bristol", "Toulouse", "Leipzig", "Bilbao", "Coimbra", "Bologna", "Cardiff", "Nantes",
    "Dresden", "Málaga", "Braga", "Palermo", "Manchester", "Lille", "Bremen", "Zaragoza", "Faro", "Firenze",
]  # fmt: skip
MONEY = [2, 5, 12, 40, 85, 120, 300, 1200]
PEOPLE = [500, 1200, 3000, 10000, 25000, 80000]

LANGUAGES: dict[str, dict[str, list[str]]] = {
    "en": {
        "subject": [
            "unemployment", "the crime rate", "rents", "the price of bread", "hospital waiting times",
            "the number of teachers", "child poverty", "energy bills", "public debt", "petrol prices",
            "house prices", "youth unemployment",
        ],
        "thing": [
            "schools", "the new bridge", "the flood wall", "the police", "road repairs", "public transport",
            "the football stadium", "refugee housing",
        ],
        "template": [
            "{S} rose by {N} percent in {P} between {Y} and {Y2}.",
            "{S} fell by {N} percent in {P} between {Y} and {Y2}.",
            "{S} in {P} has doubled since {Y}.",
            "{S} in {P} is at its highest level since {Y}.",
            "In {Y}, {P} spent {M} million euros on {T}.",
            "More than {K} people lost their jobs in {P} in {Y}.",
            "{P} has {K} fewer nurses than it did in {Y}.",
            "The council of {P} promised {M} million for {T} in {Y} but spent only {N} percent of it.",
        ],
        "prefix": [
            "", "The mayor said: ", "A viral post claims: ", "On television, the minister said: ",
            "Opposition leader: ", "Campaign leaflet: ", "Fact: ", "According to a tweet shared 10,000 times: ",
        ],
        "suffix": [
            "", " That is a scandal.", " Nobody talks about it.", " Share before it is deleted!",
            " (radio interview)", " The figures prove it.", " Look it up.",
        ],
    },
    "fr": {
        "subject": [
            "le chômage", "le taux de criminalité", "les loyers", "le prix du pain",
            "les délais d'attente à l'hôpital", "le nombre d'enseignants", "la pauvreté infantile",
            "les factures d'énergie", "la dette publique", "le prix de l'essence", "les prix de l'immobilier",
        ],
        "thing": [
            "les écoles", "le nouveau pont", "la digue", "la police", "l'entretien des routes",
            "les transports publics", "le stade",
        ],
        "template": [
            "{S} a augmenté de {N} % à {P} entre {Y} et {Y2}.",
            "{S} a baissé de {N} % à {P} entre {Y} et {Y2}.",
            "{S} à {P} a doublé depuis {Y}.",
            "{S} à {P} atteint son niveau le plus élevé depuis {Y}.",
            "En {Y}, {P} a dépensé {M} millions d'euros pour {T}.",
            "Plus de {K} personnes ont perdu leur emploi à {P} en {Y}.",
            "{P} compte {K} infirmières de moins qu'en {Y}.",
        ],
        "prefix": [
            "", "Le maire a déclaré : ", "Un message viral affirme : ", "À la télévision, le ministre a dit : ",
            "Selon l'opposition : ", "Tract de campagne : ", "Vrai : ", "Partagé 10 000 fois : ",
        ],
        "suffix": [
            "", " C'est un scandale.", " Personne n'en parle.", " Partagez avant suppression !",
            " (interview à la radio)", " Les chiffres le prouvent.", " Vérifiez vous-même.",
        ],
    },
    "de": {
        "subject": [
            "die Arbeitslosigkeit", "die Kriminalitätsrate", "die Mieten", "der Brotpreis",
            "die Wartezeiten im Krankenhaus", "die Zahl der Lehrer", "die Kinderarmut", "die Energiekosten",
            "die Staatsverschuldung", "der Benzinpreis", "die Immobilienpreise",
        ],
        "thing": [
            "die Schulen", "die neue Brücke", "den Hochwasserschutz", "die Polizei", "die Straßensanierung",
            "den Nahverkehr", "das Stadion",
        ],
        "template": [
            "{S} in {P} ist zwischen {Y} und {Y2} um {N} Prozent gestiegen.",
            "{S} in {P} ist zwischen {Y} und {Y2} um {N} Prozent gesunken.",
            "{S} in {P} hat sich seit {Y} verdoppelt.",
            "{S} in {P} ist so hoch wie seit {Y} nicht mehr.",
            "{Y} gab {P} {M} Millionen Euro für {T} aus.",
            "Mehr als {K} Menschen haben {Y} in {P} ihren Arbeitsplatz verloren.",
            "{P} hat {K} Pflegekräfte weniger als {Y}.",
        ],
        "prefix": [
            "", "Der Bürgermeister sagte: ", "Ein viraler Beitrag behauptet: ", "Im Fernsehen sagte der Minister: ",
            "Die Opposition: ", "Wahlkampfflyer: ", "Fakt: ", "10.000-mal geteilt: ",
        ],
        "suffix": [
            "", " Ein Skandal.", " Niemand spricht darüber.", " Teilen, bevor es gelöscht wird!",
            " (Radiointerview)", " Die Zahlen beweisen es.", " Schaut selbst nach.",
        ],
    },
    "es": {
        "subject": [
            "el desempleo", "la tasa de criminalidad", "los alquileres", "el precio del pan",
            "las listas de espera en los hospitales", "el número de profesores", "la pobreza infantil",
            "las facturas de la luz", "la deuda pública", "el precio de la gasolina", "el precio de la vivienda",
        ],
        "thing": [
            "las escuelas", "el nuevo puente", "el muro contra inundaciones", "la policía",
            "el arreglo de carreteras", "el transporte público", "el estadio",
        ],
        "template": [
            "{S} subió un {N} % en {P} entre {Y} y {Y2}.",
            "{S} bajó un {N} % en {P} entre {Y} y {Y2}.",
            "{S} en {P} se ha duplicado desde {Y}.",
            "{S} en {P} está en su nivel más alto desde {Y}.",
            "En {Y}, {P} gastó {M} millones de euros en {T}.",
            "Más de {K} personas perdieron su empleo en {P} en {Y}.",
            "{P} tiene {K} enfermeras menos que en {Y}.",
        ],
        "prefix": [
            "", "El alcalde dijo: ", "Un mensaje viral afirma: ", "En televisión, el ministro dijo: ",
            "La oposición: ", "Folleto electoral: ", "Dato: ", "Compartido 10.000 veces: ",
        ],
        "suffix": [
            "", " Es un escándalo.", " Nadie habla de ello.", " ¡Compártelo antes de que lo borren!",
            " (entrevista en la radio)", " Las cifras lo demuestran.", " Compruébalo.",
        ],
    },
    "pt": {
        "subject": [
            "o desemprego", "a taxa de criminalidade", "as rendas", "o preço do pão",
            "o tempo de espera nos hospitais", "o número de professores", "a pobreza infantil", "a conta da luz",
            "a dívida pública", "o preço da gasolina",
        ],
        "thing": ["as escolas", "a nova ponte", "a polícia", "os transportes públicos", "o estádio"],
        "template": [
            "{S} subiu {N}% em {P} entre {Y} e {Y2}.",
            "{S} caiu {N}% em {P} entre {Y} e {Y2}.",
            "{S} em {P} duplicou desde {Y}.",
            "Em {Y}, {P} gastou {M} milhões de euros em {T}.",
            "Mais de {K} pessoas perderam o emprego em {P} em {Y}.",
        ],
        "prefix": [
            "", "O presidente da câmara disse: ", "Uma publicação viral afirma: ", "Na televisão, o ministro disse: ",
            "A oposição: ", "Panfleto de campanha: ", "Facto: ", "Partilhado 10 mil vezes: ",
        ],
        "suffix": [
            "", " É um escândalo.", " Ninguém fala disto.", " Partilhe antes que apaguem!",
            " (entrevista na rádio)", " Os números provam.", " Confira.",
        ],
    },
    "it": {
        "subject": [
            "la disoccupazione", "il tasso di criminalità", "gli affitti", "il prezzo del pane",
            "le liste d'attesa negli ospedali", "il numero di insegnanti", "la povertà infantile", "le bollette",
            "il debito pubblico", "il prezzo della benzina",
        ],
        "thing": ["le scuole", "il nuovo ponte", "la polizia", "i trasporti pubblici", "lo stadio"],
        "template": [
            "{S} a {P}: +{N}% tra il {Y} e il {Y2}.",
            "{S} a {P}: -{N}% tra il {Y} e il {Y2}.",
            "Nel {Y} {P} ha speso {M} milioni di euro per {T}.",
            "Più di {K} persone hanno perso il lavoro a {P} nel {Y}.",
        ],
        "prefix": [
            "", "Il sindaco ha detto: ", "Un post virale sostiene: ", "In televisione il ministro ha detto: ",
            "L'opposizione: ", "Volantino elettorale: ", "Fatto: ", "Condiviso 10.000 volte: ",
        ],
        "suffix": [
            "", " È uno scandalo.", " Nessuno ne parla.", " Condividete prima che lo cancellino!",
            " (intervista radiofonica)", " I numeri lo dimostrano.", " Verificate.",
        ],
    },
}  # fmt: skip


def base_claims(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` distinct claims as (language, sentence), from the templates."""
    found: dict[str, str] = {}
    languages = list(LANGUAGES)
    while len(found) < count:
        language = rng.choice(languages)
        vocabulary = LANGUAGES[language]
        year = rng.randint(2005, 2022)
        sentence = rng.choice(vocabulary["template"]).format(
            S=rng.choice(vocabulary["subject"]),
            T=rng.choice(vocabulary["thing"]),
            P=rng.choice(PLACES),
            Y=year,
            Y2=year + rng.randint(1, 8),
            N=rng.randint(3, 60),
            M=rng.choice(MONEY),
            K=f"{rng.choice(PEOPLE):,}",
        )
        sentence = sentence[0].upper() + sentence[1:]
        found.setdefault(sentence, language)
    return [(language, sentence) for sentence, language in found.items()]


def claim_texts(rng: random.Random, bases: list[tuple[str, str]], count: int) -> list[str]:
    """`count` distinct claim quotes: base claims repeated with an attribution before and a tail after."""
    seen: set[str] = set()
    texts: list[str] = []
    while len(texts) < count:
        language, sentence = rng.choice(bases)
        vocabulary = LANGUAGES[language]
        text = rng.choice(vocabulary["prefix"]) + sentence + rng.choice(vocabulary["suffix"])
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts

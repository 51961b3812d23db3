"""HubSpot's property labels in every language we read: the one table of HubSpot aliases.

HubSpot exports use the property labels of the exporting user's language as headers (and as the
values of stage, lifecycle and buying-role columns). ``HEADERS`` maps each column the HubSpot
reader uses to its labels per language ("en" English, "de" German, "fr" French, "es" Spanish,
"pt" Portuguese (Brazil), "nl" Dutch) and HubSpot's internal property names ("internal").
The labels are written from knowledge of HubSpot's localized interface, not from a vendor list:
where HubSpot has used more than one wording, both are listed. Matching is on :func:`label_key`
(case, accents, curly apostrophes and spacing ignored). docs/import.md says which languages are
covered; a file in another language still reads through the generic CSV mapping.
"""

from __future__ import annotations

import re
import unicodedata

LANGUAGES = ("en", "de", "fr", "es", "pt", "nl")

HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "id": {
        "internal": ("hs_object_id", "id"),
        "en": ("record id", "contact id", "company id", "deal id"),
        "de": ("datensatz-id", "datensatz id", "kontakt-id", "unternehmens-id", "deal-id"),
        "fr": ("id de fiche d'informations", "id de la fiche d'informations", "id d'enregistrement", "id de l'enregistrement"),
        "es": ("id de registro", "id del registro"),
        "pt": ("id do registro", "id de registro"),
        "nl": ("record-id", "record id", "id van record"),
    },
    "first": {
        "internal": ("firstname",),
        "en": ("first name",),
        "de": ("vorname",),
        "fr": ("prénom",),
        "es": ("nombre",),
        "pt": ("nome", "primeiro nome"),
        "nl": ("voornaam",),
    },
    "last": {
        "internal": ("lastname",),
        "en": ("last name",),
        "de": ("nachname",),
        "fr": ("nom", "nom de famille"),
        "es": ("apellidos", "apellido"),
        "pt": ("sobrenome", "último nome"),
        "nl": ("achternaam",),
    },
    "email": {
        "internal": ("email",),
        "en": ("email", "e-mail"),
        "de": ("e-mail", "e-mail-adresse"),
        "fr": ("e-mail", "adresse e-mail", "courriel"),
        "es": ("correo", "correo electrónico", "e-mail"),
        "pt": ("e-mail", "endereço de e-mail"),
        "nl": ("e-mail", "e-mailadres"),
    },
    "phone": {
        "internal": ("phone", "mobilephone"),
        "en": ("phone number", "mobile phone number"),
        "de": ("telefonnummer", "mobiltelefonnummer", "telefon"),
        "fr": ("numéro de téléphone", "numéro de téléphone portable", "téléphone"),
        "es": ("número de teléfono", "número de teléfono móvil", "teléfono"),
        "pt": ("número de telefone", "número de celular", "telefone"),
        "nl": ("telefoonnummer", "mobiel telefoonnummer"),
    },
    "title": {
        "internal": ("jobtitle",),
        "en": ("job title",),
        "de": ("jobbezeichnung", "berufsbezeichnung", "position"),
        "fr": ("intitulé du poste", "poste", "fonction"),
        "es": ("cargo", "puesto"),
        "pt": ("cargo",),
        "nl": ("functie", "functietitel"),
    },
    "company_name": {
        "internal": ("company", "name"),
        "en": ("company name", "associated company"),
        "de": ("unternehmensname", "firmenname", "name des unternehmens", "zugeordnetes unternehmen", "verknüpftes unternehmen"),
        "fr": ("nom de l'entreprise", "nom de l'entreprise associée", "entreprise associée", "entreprise"),
        "es": ("nombre de la empresa", "empresa asociada", "empresa"),
        "pt": ("nome da empresa", "empresa associada", "empresa"),
        "nl": ("bedrijfsnaam", "naam bedrijf", "gekoppeld bedrijf", "bedrijf"),
    },
    "company_id": {
        "internal": ("associatedcompanyid",),
        "en": ("primary associated company id", "associated company ids", "associated company id"),
        "de": (
            "id des primären zugeordneten unternehmens", "id des primär zugeordneten unternehmens",
            "ids der zugeordneten unternehmen", "zugeordnete unternehmens-ids", "zugeordnete unternehmens-id",
            "verknüpfte unternehmens-ids",
        ),
        "fr": (
            "id de l'entreprise principale associée", "id de l'entreprise associée principale",
            "id des entreprises associées", "id d'entreprises associées", "id de l'entreprise associée",
        ),
        "es": (
            "id de la empresa principal asociada", "id de empresa principal asociada",
            "id de empresas asociadas", "id de las empresas asociadas", "id de la empresa asociada",
        ),
        "pt": (
            "id da empresa principal associada", "id da empresa associada principal",
            "ids de empresas associadas", "ids das empresas associadas", "id da empresa associada",
        ),
        "nl": (
            "id van primair gekoppeld bedrijf", "id primair gekoppeld bedrijf",
            "gekoppelde bedrijfs-id's", "gekoppelde bedrijfs-ids", "gekoppelde bedrijf-id's", "gekoppelde bedrijfs-id",
        ),
    },
    "domain": {
        "internal": ("domain", "website"),
        "en": ("company domain name", "website url"),
        "de": ("unternehmens-domain-name", "unternehmensdomainname", "domainname des unternehmens", "domain-name des unternehmens", "website-url"),
        "fr": ("nom de domaine de l'entreprise", "url du site web", "site web"),
        "es": ("nombre de dominio de la empresa", "url del sitio web", "sitio web"),
        "pt": ("nome de domínio da empresa", "url do site", "site"),
        "nl": ("domeinnaam bedrijf", "bedrijfsdomeinnaam", "domeinnaam van bedrijf", "website-url"),
    },
    "industry": {
        "internal": ("industry",),
        "en": ("industry",),
        "de": ("branche",),
        "fr": ("secteur d'activité", "secteur"),
        "es": ("sector", "industria"),
        "pt": ("setor", "indústria"),
        "nl": ("branche", "sector"),
    },
    "employees": {
        "internal": ("numberofemployees",),
        "en": ("number of employees",),
        "de": ("anzahl der mitarbeiter", "anzahl mitarbeiter", "mitarbeiteranzahl"),
        "fr": ("nombre d'employés", "nombre de salariés"),
        "es": ("número de empleados",),
        "pt": ("número de funcionários",),
        "nl": ("aantal werknemers", "aantal medewerkers"),
    },
    "country": {
        "internal": ("country",),
        "en": ("country/region", "country"),
        "de": ("land/region", "land"),
        "fr": ("pays/région", "pays"),
        "es": ("país/región", "país"),
        "pt": ("país/região", "país"),
        "nl": ("land/regio", "land"),
    },
    "city": {
        "internal": ("city",),
        "en": ("city",),
        "de": ("stadt", "ort"),
        "fr": ("ville",),
        "es": ("ciudad",),
        "pt": ("cidade",),
        "nl": ("plaats", "stad"),
    },
    "lifecycle": {
        "internal": ("lifecyclestage",),
        "en": ("lifecycle stage",),
        "de": ("lebenszyklusphase", "phase im lebenszyklus"),
        "fr": ("phase du cycle de vie", "étape du cycle de vie"),
        "es": ("etapa del ciclo de vida", "fase del ciclo de vida"),
        "pt": ("fase do ciclo de vida", "estágio do ciclo de vida", "etapa do ciclo de vida"),
        "nl": ("levenscyclusfase", "fase van de levenscyclus"),
    },
    "buying_role": {
        "internal": ("hs_buying_role",),
        "en": ("buying role",),
        "de": ("einkaufsrolle", "kaufrolle", "rolle im einkauf"),
        "fr": ("rôle d'achat", "rôle dans l'achat"),
        "es": ("rol de compra", "función de compra"),
        "pt": ("função de compra", "papel de compra"),
        "nl": ("inkooprol", "koopsrol", "aankooprol"),
    },
    "deal_name": {
        "internal": ("dealname",),
        "en": ("deal name",),
        "de": ("dealname", "deal-name", "name des deals"),
        "fr": ("nom de la transaction", "nom de l'affaire"),
        "es": ("nombre del negocio", "nombre de la oportunidad"),
        "pt": ("nome do negócio",),
        "nl": ("dealnaam", "naam van de deal"),
    },
    "deal_stage": {
        "internal": ("dealstage",),
        "en": ("deal stage",),
        "de": ("deal-phase", "dealphase", "phase des deals"),
        "fr": ("phase de la transaction", "étape de la transaction"),
        "es": ("etapa del negocio", "fase del negocio"),
        "pt": ("etapa do negócio", "fase do negócio", "estágio do negócio"),
        "nl": ("dealfase", "deal-fase", "fase van de deal"),
    },
    "amount": {
        "internal": ("amount",),
        "en": ("amount",),
        "de": ("betrag",),
        "fr": ("montant",),
        "es": ("importe", "monto", "cantidad"),
        "pt": ("valor", "montante"),
        "nl": ("bedrag",),
    },
    "close": {
        "internal": ("closedate",),
        "en": ("close date",),
        "de": ("abschlussdatum",),
        "fr": ("date de fermeture", "date de clôture"),
        "es": ("fecha de cierre",),
        "pt": ("data de fechamento", "data de encerramento"),
        "nl": ("sluitingsdatum", "afsluitdatum"),
    },
    "owner": {
        "internal": ("hubspot_owner_id",),
        "en": ("deal owner", "contact owner", "company owner"),
        "de": ("deal-inhaber", "dealinhaber", "kontaktinhaber", "unternehmensinhaber", "inhaber des deals", "inhaber des kontakts", "inhaber des unternehmens"),
        "fr": ("propriétaire de la transaction", "propriétaire du contact", "propriétaire de l'entreprise"),
        "es": ("propietario del negocio", "propietario del contacto", "propietario de la empresa"),
        "pt": ("proprietário do negócio", "proprietário do contato", "proprietário da empresa"),
        "nl": ("eigenaar deal", "deal-eigenaar", "dealeigenaar", "eigenaar contactpersoon", "contacteigenaar", "eigenaar bedrijf", "bedrijfseigenaar"),
    },
    "deal_ids": {
        "en": ("associated deal ids", "associated deal id", "associated deals"),
        "de": ("ids der zugeordneten deals", "zugeordnete deal-ids", "zugeordnete deals"),
        "fr": ("id des transactions associées", "id de transactions associées", "transactions associées"),
        "es": ("id de negocios asociados", "id de los negocios asociados", "negocios asociados"),
        "pt": ("ids de negócios associados", "ids dos negócios associados", "negócios associados"),
        "nl": ("gekoppelde deal-id's", "gekoppelde deal-ids", "gekoppelde deals"),
    },
    "contact_ids": {
        "en": ("associated contact ids", "associated contact id", "associated contacts"),
        "de": ("ids der zugeordneten kontakte", "zugeordnete kontakt-ids", "zugeordnete kontakte"),
        "fr": ("id des contacts associés", "id de contacts associés", "contacts associés"),
        "es": ("id de contactos asociados", "id de los contactos asociados", "contactos asociados"),
        "pt": ("ids de contatos associados", "ids dos contatos associados", "contatos associados"),
        "nl": ("gekoppelde contactpersoon-id's", "gekoppelde contact-id's", "gekoppelde contactpersonen"),
    },
    "linkedin": {
        "internal": ("hs_linkedinid",),
        "en": ("linkedin url", "linkedin bio"),
        "de": ("linkedin-url",),
        "fr": ("url linkedin",),
        "es": ("url de linkedin",),
        "pt": ("url do linkedin",),
        "nl": ("linkedin-url",),
    },
    "department": {
        "en": ("department",),
        "de": ("abteilung",),
        "fr": ("service", "département"),
        "es": ("departamento",),
        "pt": ("departamento",),
        "nl": ("afdeling",),
    },
    # Not read, but only HubSpot writes them: they help tell a HubSpot export from other CSVs.
    "lead_status": {
        "internal": ("hs_lead_status",),
        "en": ("lead status",),
        "de": ("lead-status", "leadstatus"),
        "fr": ("statut du lead", "statut de lead", "statut du prospect"),
        "es": ("estado del lead", "estado de lead"),
        "pt": ("status do lead", "status de lead"),
        "nl": ("leadstatus", "status van lead"),
    },
}  # fmt: skip

# Columns whose labels only HubSpot writes: one of them makes a CSV a HubSpot export (detect.py).
DISTINCTIVE: tuple[str, ...] = ("id", "owner", "deal_stage", "deal_name", "company_id", "deal_ids")
DISTINCTIVE += ("contact_ids", "lifecycle", "buying_role", "lead_status")
# Generic words that are a HubSpot label in some language but common in any CSV: never evidence.
_NOT_EVIDENCE = {"id", "contact id", "company id", "deal id", "kontakt-id", "unternehmens-id", "deal-id"}

# Values: the default sales pipeline's stage labels, lifecycle stages and buying roles.
STAGE_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "identify": {
        "de": ("termin vereinbart", "termin geplant"),
        "fr": ("rendez-vous programmé", "rendez-vous planifié"),
        "es": ("cita programada", "cita agendada"),
        "pt": ("reunião agendada", "compromisso agendado"),
        "nl": ("afspraak gepland", "afspraak ingepland"),
    },
    "buy_in": {
        "de": ("qualifiziert für kauf", "kaufbereit", "qualifiziert zum kauf"),
        "fr": ("qualifié pour l'achat", "qualifié pour acheter"),
        "es": ("calificado para comprar", "cualificado para comprar"),
        "pt": ("qualificado para comprar", "qualificado para compra"),
        "nl": ("gekwalificeerd om te kopen", "gekwalificeerd voor aankoop"),
    },
    "solution": {
        "de": ("präsentation geplant", "präsentation vereinbart", "entscheidungsträger überzeugt", "entscheider überzeugt"),
        "fr": ("présentation programmée", "présentation planifiée", "décisionnaire convaincu", "décideur convaincu"),
        "es": ("presentación programada", "responsable de la toma de decisiones convencido", "decisor convencido"),
        "pt": ("apresentação agendada", "tomador de decisão convencido", "tomador de decisão envolvido"),
        "nl": ("presentatie gepland", "beslisser overtuigd", "besluitvormer overtuigd"),
    },
    "close": {
        "de": ("vertrag gesendet", "vertrag versendet", "vertrag verschickt"),
        "fr": ("contrat envoyé",),
        "es": ("contrato enviado",),
        "pt": ("contrato enviado",),
        "nl": ("contract verzonden", "contract verstuurd"),
    },
    "won": {
        "de": ("abgeschlossen und gewonnen", "abgeschlossen gewonnen", "gewonnen"),
        "fr": ("conclu gagné", "conclue gagnée", "fermé gagné", "fermée gagnée", "gagné"),
        "es": ("cierre ganado", "cerrado ganado", "ganado"),
        "pt": ("fechado e ganho", "fechado ganho", "negócio fechado", "ganho"),
        "nl": ("gesloten gewonnen", "gewonnen"),
    },
    "lost": {
        "de": ("abgeschlossen und verloren", "abgeschlossen verloren", "verloren"),
        "fr": ("conclu perdu", "conclue perdue", "fermé perdu", "fermée perdue", "perdu"),
        "es": ("cierre perdido", "cerrado perdido", "perdido"),
        "pt": ("fechado e perdido", "fechado perdido", "negócio perdido", "perdido"),
        "nl": ("gesloten verloren", "verloren"),
    },
}  # fmt: skip

LIFECYCLE_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "customer": {
        "de": ("kunde",),
        "fr": ("client",),
        "es": ("cliente",),
        "pt": ("cliente",),
        "nl": ("klant",),
    },
    "prospect": {
        "de": ("abonnent", "lead", "marketingqualifizierter lead", "vertriebsqualifizierter lead", "verkaufschance", "opportunity"),
        "fr": ("abonné", "lead", "lead qualifié marketing", "lead qualifié par le marketing", "lead qualifié pour la vente", "lead qualifié par les ventes", "opportunité"),
        "es": ("suscriptor", "lead", "lead calificado para marketing", "lead calificado para ventas", "oportunidad"),
        "pt": ("assinante", "lead", "lead qualificado para marketing", "lead qualificado para vendas", "oportunidade"),
        "nl": ("abonnee", "lead", "marketing qualified lead", "sales qualified lead", "verkoopkans", "kans"),
    },
    "partner": {
        "de": ("evangelist", "fürsprecher"),
        "fr": ("évangéliste",),
        "es": ("evangelizador", "promotor"),
        "pt": ("evangelizador", "promotor"),
        "nl": ("evangelist", "ambassadeur"),
    },
}  # fmt: skip

ROLE_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "decision_maker": {
        "de": ("entscheidungsträger", "entscheider"),
        "fr": ("décisionnaire", "décideur"),
        "es": ("responsable de la toma de decisiones", "decisor"),
        "pt": ("tomador de decisão", "tomador de decisões"),
        "nl": ("beslisser", "besluitvormer"),
    },
    "economic_buyer": {
        "de": ("budgetverantwortlicher", "budgetinhaber"),
        "fr": ("détenteur du budget", "responsable du budget"),
        "es": ("responsable del presupuesto", "titular del presupuesto"),
        "pt": ("responsável pelo orçamento", "detentor do orçamento"),
        "nl": ("budgethouder", "budgetverantwoordelijke"),
    },
    "champion": {
        "de": ("champion", "executive sponsor", "sponsor der geschäftsleitung"),
        "fr": ("champion", "sponsor exécutif", "sponsor de la direction"),
        "es": ("defensor", "patrocinador ejecutivo"),
        "pt": ("defensor", "patrocinador executivo"),
        "nl": ("voorvechter", "kampioen", "executive sponsor", "directiesponsor"),
    },
    "blocker": {
        "de": ("blockierer", "verhinderer"),
        "fr": ("bloqueur",),
        "es": ("bloqueador",),
        "pt": ("bloqueador",),
        "nl": ("blokkeerder",),
    },
    "user": {
        "de": ("endbenutzer", "endnutzer"),
        "fr": ("utilisateur final",),
        "es": ("usuario final",),
        "pt": ("usuário final",),
        "nl": ("eindgebruiker",),
    },
    "gatekeeper": {
        "de": ("recht und compliance", "rechtsabteilung und compliance"),
        "fr": ("juridique et conformité",),
        "es": ("legal y cumplimiento", "asuntos legales y cumplimiento"),
        "pt": ("jurídico e conformidade", "jurídico e compliance"),
        "nl": ("juridisch en compliance", "juridische zaken en compliance"),
    },
}  # fmt: skip

_SPACE_RE = re.compile(r"\s+")


def label_key(text: str) -> str:
    """A label compared as HubSpot users mean it: case, accents, curly quotes and spacing ignored."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").strip().casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _SPACE_RE.sub(" ", text)


def aliases(column: str) -> tuple[str, ...]:
    """Every label of a column as label keys: English first, internal names ("id", "name") last."""
    per = HEADERS[column]
    out: dict[str, None] = {}
    for lang in (*LANGUAGES, "internal"):
        out.update((label_key(x), None) for x in per.get(lang, ()))
    return tuple(out)


def language_of(headers: list[str]) -> str:
    """The language whose labels name the most of these headers ("en" when none or a tie)."""
    keys = {label_key(h) for h in headers}
    score = dict.fromkeys(LANGUAGES, 0)
    for per_language in HEADERS.values():
        for lang, labels in per_language.items():
            if lang in score and keys & {label_key(x) for x in labels}:
                score[lang] += 1
    best = max(LANGUAGES, key=lambda lang: (score[lang], lang == "en"))
    return best if score[best] > score["en"] else "en"


def detection_hints() -> frozenset[str]:
    """Label keys that only a HubSpot export has as a header, in any language."""
    hints = {label_key(x) for col in DISTINCTIVE for labels in HEADERS[col].values() for x in labels}
    return frozenset(hints - _NOT_EVIDENCE)


def value_mapping(table: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, str]:
    """Localized value -> Revere value, keys lower-cased (as the stage and role mappings compare them)."""
    return {
        label.lower(): target for target, per in table.items() for labels in per.values() for label in labels
    }


def lifecycle_status(value: str) -> str:
    """A localized lifecycle stage as a company status ("" when not one of the labels)."""
    key = label_key(value)
    for status, per in LIFECYCLE_LABELS.items():
        if any(key == label_key(x) for labels in per.values() for x in labels):
            return status
    return ""

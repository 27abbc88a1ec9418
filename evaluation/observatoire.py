"""The national observatory's vocabularies, as its questionnaire lists them.

One place to update when the questionnaire changes: add a member to an enum (its value is what
the database keeps, its label what people and the exports read). A removed member breaks the
bilans that hold it: rename its label instead, or migrate the values. No label may contain
`SEPARATEUR`, the separator of multi-valued cells in the exports.
"""

import unicodedata

from django.db import models

from partenaires.models import Partenaire

# Between the values of a multi-valued cell in the exports (mots clés, public, partenaires…).
SEPARATEUR = " ; "


class StatutBilan(models.TextChoices):
    EN_COURS = "en_cours", "En cours"
    TERMINEE = "terminee", "Terminée"


class Dimension(models.TextChoices):
    SERVICES = "services", "Services"
    ACCOMPAGNEMENT = "accompagnement", "Accompagnement de projets"
    CITOYENNETE = "citoyennete", "Citoyenneté"


class MotCle(models.TextChoices):
    PARENTALITE = "parentalite", "Parentalité"
    INTERGENERATIONNEL = "intergenerationnel", "Intergénérationnel"
    CULTURE = "culture", "Culture"
    SANTE = "sante", "Santé"
    ENVIRONNEMENT = "environnement", "Environnement"
    DEVELOPPEMENT_DURABLE = "developpement_durable", "Développement durable"
    NUMERIQUE = "numerique", "Numérique"
    ACCES_DROITS = "acces_droits", "Accès aux droits"
    INSERTION = "insertion", "Insertion, emploi"
    EDUCATION = "education", "Éducation, scolarité"
    ALPHABETISATION = "alphabetisation", "Alphabétisation et apprentissage du français"
    INTEGRATION = "integration", "Intégration"
    LOISIRS = "loisirs", "Loisirs, vacances"
    VIVRE_ENSEMBLE = "vivre_ensemble", "Vivre ensemble"
    MIXITE_SOCIALE = "mixite_sociale", "Mixité sociale"
    SOLIDARITE = "solidarite", "Solidarité"
    ISOLEMENT = "isolement", "Lutte contre l'isolement"
    DEMOCRATIE = "democratie", "Démocratie et citoyenneté"
    CADRE_DE_VIE = "cadre_de_vie", "Logement, cadre de vie"
    AUTRE = "autre", "Autre"


class Initiative(models.TextChoices):
    CENTRE = "centre", "Le centre social"
    HABITANT = "habitant", "Un habitant"
    GROUPE_HABITANTS = "groupe_habitants", "Un groupe d'habitants"
    PARTENAIRES = "partenaires", "Un ou plusieurs partenaires"
    AUTRE = "autre", "Autre"


class TerritoireConcerne(models.TextChoices):
    QUARTIER = "quartier", "Un quartier"
    QUARTIERS = "quartiers", "Plusieurs quartiers"
    COMMUNE = "commune", "Une commune"
    COMMUNES = "communes", "Plusieurs communes"
    AUTRE = "autre", "Autre"


class Public(models.TextChoices):
    FAMILLES = "familles", "Familles"
    PETITE_ENFANCE = "petite_enfance", "Petite enfance"
    ENFANCE = "enfance", "Enfance"
    JEUNESSE = "jeunesse", "Jeunesse"
    ADULTES = "adultes", "Adultes"
    SENIORS = "seniors", "Seniors"
    TOUS_PUBLICS = "tous_publics", "Tous publics"


class TypePartenaire(models.TextChoices):
    COMMUNE = "commune", "Commune"
    REGROUPEMENT = "regroupement_communes", "Regroupement de communes"
    DEPARTEMENT = "conseil_departemental", "Conseil départemental"
    REGION = "conseil_regional", "Conseil régional"
    CAF = "caf", "CAF"
    # The DRAC, the DDETS, the préfecture… (« État » before the questionnaire named them).
    ETAT = "etat", "Services de l'État (DRAC, DDETS, préfecture…)"
    PROTECTION_SOCIALE = "protection_sociale", "Autre organisme de protection sociale (MSA, CPAM…)"
    EDUCATION_NATIONALE = "education_nationale", "Éducation nationale"
    BAILLEUR = "bailleur_social", "Bailleur social"
    ASSOCIATION_LOCALE = "association_locale", "Association locale"
    ASSOCIATION_NATIONALE = "association_nationale", "Association ou fédération nationale"
    ENTREPRISE = "entreprise_privee", "Entreprise privée"
    FONDATION = "fondation", "Fondation"
    AUTRE = "autre", "Autre"


# The directory's partner types, as the observatory names them.
TYPE_OBSERVATOIRE = {
    Partenaire.Type.COMMUNE: TypePartenaire.COMMUNE,
    Partenaire.Type.INTERCOMMUNALITE: TypePartenaire.REGROUPEMENT,
    Partenaire.Type.CAF: TypePartenaire.CAF,
    Partenaire.Type.DEPARTEMENT: TypePartenaire.DEPARTEMENT,
    Partenaire.Type.ETAT: TypePartenaire.ETAT,
    Partenaire.Type.EDUCATION_NATIONALE: TypePartenaire.EDUCATION_NATIONALE,
    Partenaire.Type.BAILLEUR: TypePartenaire.BAILLEUR,
    Partenaire.Type.ASSOCIATION_LOCALE: TypePartenaire.ASSOCIATION_LOCALE,
    Partenaire.Type.ASSOCIATION_NATIONALE: TypePartenaire.ASSOCIATION_NATIONALE,
    Partenaire.Type.ENTREPRISE: TypePartenaire.ENTREPRISE,
    Partenaire.Type.FONDATION: TypePartenaire.FONDATION,
    Partenaire.Type.COLLECTIF: TypePartenaire.AUTRE,
    Partenaire.Type.AUTRE: TypePartenaire.AUTRE,
}

# Words of a fiche's « public visé » (lower case, without accents) → the observatory's public.
MOTS_DU_PUBLIC = [
    (("petite enfance", "tout-petits", "tout petits", "0-3 ans"), Public.PETITE_ENFANCE),
    (("famille", "parent"), Public.FAMILLES),
    (("enfant",), Public.ENFANCE),
    (("jeune", "adolescent", "collegien", "lyceen"), Public.JEUNESSE),
    (("adulte",), Public.ADULTES),
    (("senior", "agees", "retraite"), Public.SENIORS),
    (("tous ages", "tous publics", "tout public", "tous les publics"), Public.TOUS_PUBLICS),
]

# Every vocabulary of the bilan (the tests check their labels against `SEPARATEUR`).
VOCABULAIRES = [
    StatutBilan,
    Dimension,
    MotCle,
    Initiative,
    TerritoireConcerne,
    Public,
    TypePartenaire,
]


def sans_accents(texte):
    decompose = unicodedata.normalize("NFKD", texte.lower())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def publics_du_texte(texte):
    texte = sans_accents(texte)
    return [public.value for mots, public in MOTS_DU_PUBLIC if any(m in texte for m in mots)]

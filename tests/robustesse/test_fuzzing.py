"""Fuzzing of every user-facing form through its real view (Hypothesis + Django test client).

Each example POSTs hostile input (empty, huge, unicode, emoji, NUL bytes, `<script>`, numbers as
text, « N/A », negative numbers, far dates) mixed with valid values, as the person who uses the
form. Whatever comes in: never a server error; a refused input is answered on the page with
French messages (no English Django default) and nothing is saved; `<script>` never comes back
unescaped. The world is built once per test; examples run inside the test's transaction, so what
a valid example saves stays for the next ones (as in real use).
"""

import os
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.concurrence import etat
from actions.models import CommentairePartenaire, FicheAction, Indicateur, Moyen
from evaluation.models import BilanAction, Resultat
from partenaires.models import ContactPartenaire, Invitation, Partenaire
from projets.models import (
    Axe,
    ChiffreCle,
    ColonneChiffres,
    Enjeu,
    InstanceGouvernance,
    LigneBudget,
    ObjectifGeneral,
    ProjetSocial,
    SectionProjet,
    Sigle,
    Structure,
    Territoire,
    ValeurComparee,
)
from tests.actions.test_edition import donnees
from tests.factories import (
    AxeFactory,
    ColonneChiffresFactory,
    EnjeuFactory,
    EtapeEcheancierFactory,
    IndicateurFactory,
    MoyenFactory,
    ObjectifGeneralFactory,
    PartenaireFactory,
    TerritoireFactory,
    TOTPDeviceFactory,
)

pytestmark = pytest.mark.django_db

# At least 200 examples per form (FUZZ_EXEMPLES may lower it while debugging a form).
EXEMPLES = int(os.environ.get("FUZZ_EXEMPLES", 200))
FUZZ = settings(
    max_examples=EXEMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILES = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "N/A",
            "« N/A »",
            "<script>alert(1)</script>",
            "-1",
            "-999999999999999999999999",
            "0",
            "1e308",
            "NaN",
            "12,5",
            "1 000",
            "9999-12-31",
            "0001-01-01",
            "10000-01-01",
            "2026-02-30",
            "31/12/2999",
            "a\x00b",
            "\x00",
            "🎉👨‍👩‍👧" * 50,
            "ÉÈÀ œ ß ١٢٣ 中文 \u202e",
            "' OR 1=1 --",
            "x" * 100_000,
        ]
    ),
    st.text(max_size=300),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(str),
)

# Django's English defaults: any of them on a page means a message escaped translation.
ANGLAIS = [
    "This field",
    "Enter a valid",
    "Enter a number",
    "Enter a whole number",
    "Select a valid choice",
    "Ensure this value",
    "Ensure that there",
    "Null characters are not allowed",
    "is not one of the available choices",
    "already exists",
    "ManagementForm data",
    "The two password",
    "This password is",
    "Please submit",
]
ERREUR = re.compile(r"is-invalid|invalid-feedback|alert-danger|errorlist")


def champ(*valides):
    """A hostile value, or now and then a valid one (so the saving path is fuzzed too)."""
    if not valides:
        return HOSTILES
    return st.one_of(HOSTILES, st.sampled_from([str(v) for v in valides]))


# Row counts of a formset: hostile but small (a huge count is tested once, below: rendering
# up to Django's 2,000-form cap on every example would take minutes).
NOMBRE_DE_LIGNES = st.sampled_from(["", "-1", "abc", "N/A", "\x00", "1.5", "0", "1", "2", "3"])


def hors_bigint(valeur):
    try:
        return abs(int(valeur)) >= 2**63
    except ValueError:
        return False


def plusieurs(*valides):
    # Ids beyond 64 bits are left to test_objectifs_id_hors_bigint (a known bug).
    return st.lists(champ(*valides).filter(lambda v: not hors_bigint(v)), max_size=4)


def choix(modele, nom):
    return [valeur for valeur, _ in modele._meta.get_field(nom).choices]


def photo(*modeles):
    """What is saved, to prove that a refused input changed nothing."""
    return {m.__name__: sorted(map(repr, m.objects.values_list())) for m in modeles}


def connecte(user):
    client = Client()
    client.force_login(user)
    return client


def fuzzer(client, url, formulaire, modeles, base=None, reussite=None, photographier=None):
    """Run the examples: POST `base` (a dict, or a callable giving one) updated with the drawn
    values, and check each answer."""
    photographier = photographier or (lambda: photo(*modeles))
    compte = {"exemples": 0}

    @FUZZ
    @given(saisie=formulaire)
    def exemple(saisie):
        compte["exemples"] += 1
        data = {**(base() if callable(base) else base or {}), **saisie}
        avant = photographier()
        reponse = client.post(url() if callable(url) else url, data)
        assert reponse.status_code < 500
        if reponse.status_code == 302:
            if reussite:
                reussite()
            return
        texte = reponse.content.decode()
        assert reponse.status_code in (200, 400), reponse.status_code
        assert ERREUR.search(texte), "saisie refusée sans message"
        anglais = [m for m in ANGLAIS if m in texte]
        assert not anglais, anglais
        assert "<script>alert(1)" not in texte
        assert photographier() == avant, "saisie refusée mais enregistrée"

    exemple()
    assert compte["exemples"] >= EXEMPLES


@pytest.fixture
def direction(monde):
    return connecte(monde.direction_1)


@pytest.fixture
def arbre(monde):
    """An axe with an enjeu and an objectif in projet 1, and a second axe to move fiches to."""
    objectif = ObjectifGeneralFactory(enjeu__axe=monde.fiche_1a.axe)
    return {"objectif": objectif, "autre_axe": AxeFactory(projet=monde.projet_1)}


# --- actions ---------------------------------------------------------------------------------


def test_editeur_de_fiche(direction, monde, arbre):
    fiche = monde.fiche_1a
    IndicateurFactory(fiche=fiche)
    MoyenFactory(fiche=fiche, type="humain", libelle="1 ADS", quantite=1)
    EtapeEcheancierFactory(fiche=fiche, libelle="Lancement")
    partenaire = monde.partenaire_a
    etranger = PartenaireFactory(structure=monde.structure_2)
    courant = {"data": donnees(direction, fiche)}

    def rafraichir():  # after a save, the form is opened again (new token)
        courant["data"] = donnees(direction, fiche)

    annees = monde.projet_1.annees
    formulaire = st.fixed_dictionaries(
        {
            "titre": champ("Accueil des familles"),
            "statut_plan": champ(*choix(FicheAction, "statut_plan")),
            "statut": champ(*choix(FicheAction, "statut")),
            "motif_fin": champ(*choix(FicheAction, "motif_fin")),
            "referent": champ(monde.equipe_1.pk, monde.equipe_2.pk),
            "contexte": champ("Un **besoin** repéré."),
            "participation_actuelle": champ(*choix(FicheAction, "participation_actuelle")),
            "objectifs": plusieurs(arbre["objectif"].pk),
            "objectif_principal": champ(arbre["objectif"].pk),
            "annees": plusieurs(*annees),
            "etapes-0-date_debut": champ("2026-03-01"),
            "etapes-0-date_fin": champ("2026-02-01"),
            "moyens-0-quantite": champ(2),
            "moyens-0-montant": champ("1500.50"),
            "moyens-0-type": champ(*choix(Moyen, "type")),
            "indicateurs-0-nature": champ(*choix(Indicateur, "nature")),
            "indicateurs-0-cible": champ(12),
            "indicateurs-0-valeur_reference": champ(3),
            "partenariats-TOTAL_FORMS": NOMBRE_DE_LIGNES,
            "partenariats-1-partenaire": champ(partenaire.pk, etranger.pk),
            "partenariats-1-role": champ("financeur"),
        }
    )
    fuzzer(
        direction,
        reverse("actions:modifier", args=[fiche.pk]),
        formulaire,
        [],
        base=lambda: courant["data"],
        reussite=rafraichir,
        photographier=lambda: etat(fiche),
    )
    # Whatever the editor accepted, the projet can still be renewed (or is refused with a message).
    projet = monde.projet_1
    suite = {
        "titre": "Suite",
        "annee_debut": projet.annee_fin + 1,
        "annee_fin": projet.annee_fin + 4,
    }
    assert (
        direction.post(reverse("evaluation:renouveler", args=[projet.pk]), suite).status_code < 500
    )


def test_objectifs_id_hors_bigint(direction, monde):
    # An id beyond 64 bits used to overflow the database's integer: a 500.
    data = {**donnees(direction, monde.fiche_1a), "objectifs": [str(2**63)]}
    reponse = direction.post(reverse("actions:modifier", args=[monde.fiche_1a.pk]), data)
    assert reponse.status_code == 400
    assert "pas été enregistrée" in reponse.content.decode()


def test_creer_une_fiche(direction, monde, arbre):
    formulaire = st.fixed_dictionaries(
        {"axe": champ(monde.fiche_1a.axe_id, monde.fiche_2a.axe_id), "titre": champ("Fiche")}
    )
    url = reverse("actions:creer", args=[monde.projet_1.pk])
    fuzzer(direction, url, formulaire, [FicheAction])


def test_deplacer_une_fiche(direction, monde, arbre):
    axes = [monde.fiche_1a.axe_id, arbre["autre_axe"].pk, monde.fiche_2a.axe_id]
    url = reverse("actions:deplacer", args=[monde.fiche_1b.pk])
    fuzzer(direction, url, st.fixed_dictionaries({"axe": champ(*axes)}), [FicheAction])


# --- projets -----------------------------------------------------------------------------------


def test_modifier_le_projet(direction, monde):
    formulaire = st.fixed_dictionaries(
        {
            "titre": champ("Projet social 2025-2028"),
            "annee_debut": champ(2025, 2024),
            "annee_fin": champ(2028, 2029),
            "agrement_acf": st.sampled_from(["", "on"]),
            "date_decision_caf": champ("2025-06-30"),
            "date_dossier": champ("Mars 2025"),
            "budget_mention": champ("Transmis séparément."),
        }
    )
    url = reverse("projets:modifier", args=[monde.projet_1.pk])
    fuzzer(direction, url, formulaire, [ProjetSocial])


def test_changer_le_statut(direction, monde):
    formulaire = st.fixed_dictionaries(
        {
            "statut": champ(*choix(ProjetSocial, "statut")),
            "date_decision_caf": champ("2025-06-30"),
        }
    )
    url = reverse("projets:statut", args=[monde.projet_1.pk])
    fuzzer(direction, url, formulaire, [ProjetSocial])


def test_renouveler(direction, monde):
    formulaire = st.fixed_dictionaries(
        {
            "titre": champ("Projet social 2029-2032"),
            "annee_debut": champ(2029),
            "annee_fin": champ(2032, 2030),
        }
    )
    url = reverse("evaluation:renouveler", args=[monde.projet_1.pk])
    fuzzer(direction, url, formulaire, [ProjetSocial])


def test_arbre_axe(direction, monde):
    formulaire = st.fixed_dictionaries(
        {"titre": champ("Familles"), "transversal": st.sampled_from(["", "on"])}
    )
    url = reverse("projets:axe_creer", args=[monde.projet_1.pk])
    fuzzer(direction, url, formulaire, [Axe])


def test_arbre_enjeu(direction, monde):
    formulaire = st.fixed_dictionaries(
        {"numero": champ(1, 7), "titre": champ("Isolement"), "description": champ("Un **enjeu**.")}
    )
    url = reverse("projets:enjeu_creer", args=[monde.fiche_1a.axe_id])
    fuzzer(direction, url, formulaire, [Enjeu])


def test_arbre_objectif(direction, monde):
    enjeu = EnjeuFactory(axe=monde.fiche_1a.axe)
    autre = EnjeuFactory(axe=monde.fiche_2a.axe)
    formulaire = st.fixed_dictionaries(
        {
            "enjeu": champ(enjeu.pk, autre.pk),
            "titre": champ("Rompre l'isolement"),
            "objectifs_operationnels": champ("- Un\n- Deux"),
            "indicateurs_resultats": champ(),
            "exemples": champ(),
        }
    )
    url = reverse("projets:objectif_creer", args=[monde.fiche_1a.axe_id])
    fuzzer(direction, url, formulaire, [ObjectifGeneral])


def _territoire(monde):
    return TerritoireFactory(structure=monde.structure_1, nom="Quartier Nord")


def _chiffre(monde):
    territoire = _territoire(monde)
    colonne = ColonneChiffresFactory(territoire=territoire, intitule="Ville")
    return {
        "territoire": champ(territoire.pk),
        "libelle": champ("Habitants"),
        "valeur": champ("12 000", "12,5"),
        "unite": champ("%"),
        "source": champ("INSEE"),
        "annee": champ(2021),
        f"colonne_{colonne.pk}": champ("1 250,5", "60 à 80"),
    }


CONTENUS = {
    "section": (
        SectionProjet,
        lambda m: {
            "type": champ(*choix(SectionProjet, "type")),
            "titre": champ("Histoire"),
            "contenu": champ("Le centre **existe** depuis 1970."),
        },
    ),
    "territoire": (
        Territoire,
        lambda m: {
            "nom": champ("Sud"),
            "quartiers": champ(),
            "qpv": st.sampled_from(["", "on"]),
            "communes": champ(),
        },
    ),
    "chiffre": (ChiffreCle, _chiffre),
    "colonne": (
        ColonneChiffres,
        lambda m: {"territoire": champ(_territoire(m).pk), "intitule": champ("Département")},
    ),
    "instance": (
        InstanceGouvernance,
        lambda m: {
            "nom": champ("CA"),
            "role": champ(),
            "composition": champ(),
            "frequence": champ("3 fois par an"),
        },
    ),
    "ligne_budget": (
        LigneBudget,
        lambda m: {
            "annee": champ(2025, 2030),
            "sens": champ(*choix(LigneBudget, "sens")),
            "libelle": champ("Prestation CAF"),
            "montant": champ("15000", "-3"),
        },
    ),
    "sigle": (Sigle, lambda m: {"sigle": champ("CAF"), "signification": champ("Caisse")}),
}


@pytest.mark.parametrize("genre", CONTENUS)
def test_contenu_du_projet(direction, monde, genre):
    modele, champs = CONTENUS[genre]
    url = reverse(f"projets:{genre}_creer", kwargs={"projet_pk": monde.projet_1.pk})
    modeles = [modele, ValeurComparee] if modele is ChiffreCle else [modele]
    fuzzer(direction, url, st.fixed_dictionaries(champs(monde)), modeles)


def test_la_structure(direction, monde):
    formulaire = st.fixed_dictionaries(
        {
            "nom": champ("Centre social du Clos"),
            "type": champ(*choix(Structure, "type")),
            "gestionnaire": champ(*choix(Structure, "gestionnaire")),
            "porteur": champ("Ville de Vierzon"),
            "service": champ(),
            "caf": champ("CAF du Cher"),
            "code_postal": champ("18100"),
            "email": champ("accueil@exemple.fr"),
            "nombre_agents": champ(12, "1 250"),
            "equipe": champ("- 1 ADS"),
        }
    )
    url = reverse("projets:structure_modifier", args=[monde.projet_1.pk])
    fuzzer(direction, url, formulaire, [Structure])


def test_creer_un_partenaire_depuis_l_editeur(direction, monde):
    """The editor's JSON answer: 201 with the partner, or 400 with French messages."""
    url = reverse("actions:partenaire_creer", args=[monde.fiche_1a.pk])
    formulaire = st.fixed_dictionaries(
        {"nom": champ("Les parents"), "sigle": champ(), "type": champ("collectif")}
    )

    @FUZZ
    @given(saisie=formulaire)
    def exemple(saisie):
        avant = photo(Partenaire)
        reponse = direction.post(url, saisie)
        assert reponse.status_code in (201, 400), reponse.status_code
        if reponse.status_code == 400:
            messages = [m for liste in reponse.json()["erreurs"].values() for m in liste]
            assert messages and not [m for m in ANGLAIS if any(m in t for t in messages)]
            assert photo(Partenaire) == avant

    exemple()


# --- partenaires -------------------------------------------------------------------------------


def test_annuaire_creer(direction, monde):
    formulaire = st.fixed_dictionaries(
        {
            "structure": champ(monde.structure_1.pk, monde.structure_2.pk),
            "nom": champ("Ludothèque", monde.partenaire_a.nom),
            "sigle": champ(),
            "type": champ(*choix(Partenaire, "type")),
            "adresse": champ(),
            "site_web": champ("exemple.fr", "javascript:alert(1)"),
        }
    )
    fuzzer(direction, reverse("partenaires:creer"), formulaire, [Partenaire])


def test_annuaire_contacts(direction, monde):
    formulaire = st.fixed_dictionaries(
        {
            "contacts-TOTAL_FORMS": NOMBRE_DE_LIGNES,
            "contacts-INITIAL_FORMS": NOMBRE_DE_LIGNES,
            "contacts-0-nom": champ("Mme Durand"),
            "contacts-0-fonction": champ(),
            "contacts-0-email": champ("durand@exemple.fr"),
            "contacts-0-telephone": champ("01 02 03 04 05"),
        }
    )
    url = reverse("partenaires:contacts", args=[monde.partenaire_a.pk])
    fuzzer(direction, url, formulaire, [ContactPartenaire])


def test_annuaire_contacts_nombre_de_lignes_enorme(direction, monde):
    """A forged row count is capped by Django and refused in French, without a server error."""
    data = {"contacts-TOTAL_FORMS": "999999999", "contacts-INITIAL_FORMS": "0"}
    contacts = ContactPartenaire.objects.filter(partenaire=monde.partenaire_a)
    avant = list(contacts.values())
    reponse = direction.post(reverse("partenaires:contacts", args=[monde.partenaire_a.pk]), data)
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert not [m for m in ANGLAIS if m in texte]
    assert "Un partenaire compte au plus 50 contacts." in texte
    assert list(contacts.values()) == avant


def test_annuaire_fusionner(direction, monde):
    doublon = PartenaireFactory(structure=monde.structure_1)
    autres = [monde.partenaire_a.pk, PartenaireFactory(structure=monde.structure_2).pk]
    url = reverse("partenaires:fusionner", args=[doublon.pk])
    # A valid merge deletes the doublon: a fresh one is made for the next example.
    etat_url = {"url": url}

    def nouveau_doublon():
        d = PartenaireFactory(structure=monde.structure_1)
        etat_url["url"] = reverse("partenaires:fusionner", args=[d.pk])

    fuzzer(
        direction,
        lambda: etat_url["url"],
        st.fixed_dictionaries({"garde": champ(*autres)}),
        [Partenaire],
        reussite=nouveau_doublon,
    )


def test_activation_d_un_compte_partenaire(client, monde):
    def url():
        client.logout()  # a valid example logs the new account in
        _, jeton = Invitation.creer(monde.partenaire_a, "nouveau@exemple.fr", monde.direction_1)
        return reverse("partenaires:activer", args=[jeton])

    formulaire = st.fixed_dictionaries(
        {
            "first_name": champ("Aline"),
            "last_name": champ("Martin"),
            "password1": champ("Un mot de passe solide 2026 !"),
            "password2": champ("Un mot de passe solide 2026 !"),
        }
    )
    fuzzer(client, url, formulaire, [ContactPartenaire, Partenaire])


def test_commentaire_d_un_partenaire(monde):
    formulaire = st.fixed_dictionaries(
        {"nature": champ(*choix(CommentairePartenaire, "nature")), "texte": champ("Merci")}
    )
    url = reverse("portail:fiche", args=[monde.fiche_1a.pk])
    fuzzer(connecte(monde.user_partenaire_a), url, formulaire, [CommentairePartenaire])


# --- comptes ---------------------------------------------------------------------------------


def test_connexion(client, monde, settings):
    settings.AXES_ENABLED = False  # throttling has its own tests; here, the form's answers
    formulaire = st.fixed_dictionaries(
        {"username": champ(monde.equipe_1.username), "password": champ("motdepasse")}
    )

    def deconnecter():
        client.logout()

    fuzzer(client, reverse("login"), formulaire, [], reussite=deconnecter)


def test_connexion_temporisee(client, monde, settings):
    """The same with django-axes on: every failure is logged (username, address) in columns of
    255 characters, so a longer identifiant must be refused before (a 500 on PostgreSQL)."""
    settings.AXES_FAILURE_LIMIT = 10**6  # logged, never locked out here
    formulaire = st.fixed_dictionaries(
        {
            "username": st.one_of(champ(monde.equipe_1.username), st.text(min_size=200)),
            "password": champ("motdepasse"),
        }
    )
    fuzzer(client, reverse("login"), formulaire, [], reussite=client.logout)


def test_code_de_double_authentification(direction, monde):
    formulaire = st.fixed_dictionaries({"code": champ("123456", "000000")})
    # The page prepares an unconfirmed device and counts wrong codes: what matters is that none
    # gets confirmed by a refused code.
    fuzzer(
        direction,
        reverse("double_authentification"),
        formulaire,
        [TOTPDevice],
        photographier=lambda: list(TOTPDevice.objects.filter(confirmed=True).values_list("pk")),
    )


def test_code_a_la_connexion(monde):
    TOTPDeviceFactory(user=monde.equipe_1, name="app", confirmed=True)
    formulaire = st.fixed_dictionaries({"code": champ("123456", "000000")})
    fuzzer(
        connecte(monde.equipe_1),
        reverse("verification_connexion"),
        formulaire,
        [TOTPDevice],
        photographier=lambda: list(TOTPDevice.objects.values_list("confirmed", "last_t")),
    )


def test_changer_de_mot_de_passe(monde):
    formulaire = st.fixed_dictionaries(
        {
            "old_password": champ("motdepasse"),
            "new_password1": champ("Un-nouveau-mdp-2026"),
            "new_password2": champ("Un-nouveau-mdp-2026"),
        }
    )
    client = connecte(monde.sans_role)
    fuzzer(
        client,
        reverse("password_change"),
        formulaire,
        [],
        photographier=lambda: monde.sans_role.__class__.objects.get(pk=monde.sans_role.pk).password,
    )


# --- evaluation -------------------------------------------------------------------------------


def test_cibles_d_un_indicateur(direction, monde):
    indicateur = IndicateurFactory(fiche=monde.fiche_1a, nature="quantitatif")
    formulaire = st.fixed_dictionaries(
        {
            "valeur_reference": champ("10"),
            "cible": champ("20,5"),
            **{f"cible_{a}": champ("15") for a in monde.projet_1.annees},
        }
    )
    url = reverse("evaluation:cibles", args=[indicateur.pk])
    courant = {}

    def ouvrir():  # after a save, the page is opened again (new token)
        page = direction.get(url).content.decode()
        courant["etat"] = re.search(r'name="etat" value="([^"]+)"', page).group(1)

    ouvrir()
    fuzzer(direction, url, formulaire, [Indicateur], base=lambda: dict(courant), reussite=ouvrir)


@pytest.mark.parametrize("nature", ["quantitatif", "qualitatif"])
def test_resultat_d_un_indicateur(direction, monde, nature):
    indicateur = IndicateurFactory(fiche=monde.fiche_1a, nature=nature)
    formulaire = st.fixed_dictionaries(
        {
            "annee": champ(*monde.projet_1.annees),
            "semestre": champ(*choix(Resultat, "semestre")),
            "valeur": champ("42", "3,5"),
            "niveau": champ(1, 2, 3),
            "non_renseigne": st.sampled_from(["", "on"]),
            "date_mesure": champ("2026-01-15"),
            "source": champ(),
            "commentaire": champ(),
        }
    )
    url = reverse("evaluation:resultat_creer", args=[indicateur.pk])
    fuzzer(direction, url, formulaire, [Resultat])


def test_bilan_annuel(direction, monde):
    formulaire = st.fixed_dictionaries(
        {
            "statut": champ(*choix(BilanAction, "statut")),
            "motif_fin": champ(*choix(FicheAction, "motif_fin")),
            "dimension": champ(*choix(BilanAction, "dimension")),
            "mots_cles": plusieurs("insertion", "numerique"),
            "publics": plusieurs(),
            "montant_ressources": champ("1 500,50"),
            "salaries": champ(2),
            "benevoles": champ(5),
            "participants": champ(30),
            "resultat_habitants": champ(),
            "titre_fichier": champ(),
        }
    )
    url = reverse("evaluation:bilan", args=[monde.fiche_1a.pk, monde.projet_1.annee_debut])
    fuzzer(direction, url, formulaire, [BilanAction])

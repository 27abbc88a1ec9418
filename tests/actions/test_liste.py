"""The list of a projet's fiches: filters, search, sorting, pagination, access, query count."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from actions.models import FicheAction
from partenaires.models import Partenaire
from projets.models import Axe, Enjeu, ObjectifGeneral
from tests.outils import doubler_fiches

User = get_user_model()

CHAMPS_TEXTE = ["titre", "contexte", "public_vise", "presentation", "resultats_attendus", "freins"]


def url_liste(projet):
    return reverse("actions:liste", args=[projet.pk])


@pytest.fixture
def equipe(client, demo):
    client.force_login(User.objects.get(username="equipe"))
    return client


def toutes_les_pages(client, projet, params):
    """The pks shown on every page of the list, in order, and the « N fiches » of page 1."""
    reponse = client.get(url_liste(projet), params)
    assert reponse.status_code == 200
    pks = [fiche.pk for fiche in reponse.context["page"].object_list]
    page = reponse.context["page"]
    while page.has_next():
        suite = client.get(url_liste(projet), {**params, "page": page.next_page_number()})
        page = suite.context["page"]
        pks += [fiche.pk for fiche in page.object_list]
    return pks, reponse


def annonce(nombre):
    return f"{nombre} fiche{'s' if nombre > 1 else ''}" if nombre else "Aucune fiche"


# --- each filter narrows the list as an independent query says -------------------------


def attendu_enjeu_2(projet):
    enjeu = Enjeu.objects.get(projet=projet, numero=2)
    return {"enjeu": enjeu.pk}, FicheAction.objects.filter(objectifs__enjeu=enjeu)


def attendu_axe_2(projet):
    axe = Axe.objects.get(projet=projet, ordre=2, transversal=False)
    return {"axe": axe.pk}, FicheAction.objects.filter(axe=axe)


def attendu_objectif(projet):
    objectif = ObjectifGeneral.objects.get(
        axe__projet=projet, titre="Faciliter l'insertion socioprofessionnelle des parents"
    )
    return {"objectif": objectif.pk}, FicheAction.objects.filter(objectifs=objectif)


def attendu_statut_plan(projet):
    return {"statut_plan": "NA"}, FicheAction.objects.filter(statut_plan="NA")


def attendu_statut(projet):
    return {"statut": "terminee"}, FicheAction.objects.filter(statut="terminee")


def attendu_familles_oui(projet):
    return {"projet_familles": "true"}, FicheAction.objects.filter(projet_familles=True)


def attendu_familles_non(projet):
    return {"projet_familles": "false"}, FicheAction.objects.filter(projet_familles=False)


def attendu_jeunesse_oui(projet):
    return {"projet_jeunesse": "true"}, FicheAction.objects.filter(projet_jeunesse=True)


def attendu_partenaire(projet):
    partenaire = Partenaire.objects.get(
        structure=projet.structure, nom="Mission locale Clermont Métropole"
    )
    return {"partenaire": partenaire.pk}, FicheAction.objects.filter(
        partenariats__partenaire=partenaire
    )


def attendu_referent(projet):
    karim = User.objects.get(username="equipe")
    return {"referent": karim.pk}, FicheAction.objects.filter(referent=karim)


def attendu_annee(projet):
    return {"annee": "2025"}, FicheAction.objects.filter(annees__annee=2025)


FILTRES = [
    attendu_axe_2,
    attendu_enjeu_2,
    attendu_objectif,
    attendu_statut_plan,
    attendu_statut,
    attendu_familles_oui,
    attendu_familles_non,
    attendu_jeunesse_oui,
    attendu_partenaire,
    attendu_referent,
    attendu_annee,
]


def test_chaque_filtre_restreint_la_liste(equipe, demo):
    total = FicheAction.objects.filter(projet=demo).count()
    for attendu in FILTRES:  # one loop: loading the demo once keeps the suite fast
        params, attendues = attendu(demo)
        attendues = set(attendues.filter(projet=demo).values_list("pk", flat=True))
        assert 0 < len(attendues) < total, attendu.__name__

        pks, reponse = toutes_les_pages(equipe, demo, params)

        assert sorted(pks) == sorted(attendues), attendu.__name__  # every expected fiche, once
        assert annonce(len(attendues)) in reponse.text, attendu.__name__


def test_le_filtre_partenaire_donne_les_cinq_fiches_de_la_mission_locale(equipe, demo):
    params, _ = attendu_partenaire(demo)
    pks, reponse = toutes_les_pages(equipe, demo, params)
    assert sorted(FicheAction.objects.get(pk=pk).reference for pk in pks) == [
        "Axe 1 – 07",
        "Axe 2 – 14",
        "Axe 2 – 15",
        "Axe 2 – 17",
        "Axe 3 – 09",
    ]
    assert "5 fiches" in reponse.text


def test_une_fiche_de_plusieurs_objectifs_du_meme_enjeu_n_apparait_qu_une_fois(equipe, demo):
    # « Les ateliers, sorties et séjours parents-enfants » serves three objectifs of enjeu 2.
    ateliers = FicheAction.objects.get(projet=demo, titre__startswith="Les ateliers, sorties")
    assert ateliers.objectifs.filter(enjeu__numero=2).count() == 3
    params, attendues = attendu_enjeu_2(demo)

    pks, reponse = toutes_les_pages(equipe, demo, params)

    assert pks.count(ateliers.pk) == 1
    assert len(pks) == len(set(pks)) == attendues.distinct().count()
    assert reponse.text.count(escape(ateliers.titre)) == 1


def contient_le_texte(fiche, mot):
    return any(mot in getattr(fiche, champ).lower() for champ in CHAMPS_TEXTE)


def test_la_recherche_porte_sur_les_textes_de_la_fiche(equipe, demo):
    fiches = FicheAction.objects.filter(projet=demo)
    for mot in ["parents", "numérique", "bénévoles"]:
        attendues = {f.pk for f in fiches if contient_le_texte(f, mot)}
        assert 0 < len(attendues) < len(fiches), mot

        pks, _ = toutes_les_pages(equipe, demo, {"q": mot})

        assert sorted(pks) == sorted(attendues), mot


def test_la_recherche_trouve_un_mot_du_seul_champ_freins(equipe, demo):
    fiche = FicheAction.objects.filter(projet=demo).first()
    fiche.freins = "Un frein très particulier : zygomorphe."
    fiche.save()

    pks, reponse = toutes_les_pages(equipe, demo, {"q": "ZYGOMORPHE"})

    assert pks == [fiche.pk]
    assert "1 fiche" in reponse.text and "1 fiches" not in reponse.text


def test_filtres_combines(equipe, demo):
    enjeu = Enjeu.objects.get(projet=demo, numero=2)
    params = {"enjeu": enjeu.pk, "statut": "en_cours", "projet_familles": "true", "q": "parents"}
    attendues = {
        f.pk
        for f in FicheAction.objects.filter(projet=demo, objectifs__enjeu=enjeu).distinct()
        if f.statut == "en_cours" and f.projet_familles and contient_le_texte(f, "parents")
    }
    assert attendues

    pks, reponse = toutes_les_pages(equipe, demo, params)

    assert sorted(pks) == sorted(attendues)
    assert annonce(len(attendues)) in reponse.text


def test_aucun_resultat_le_dit(equipe, demo):
    reponse = equipe.get(url_liste(demo), {"q": "introuvable-nulle-part"})
    assert reponse.status_code == 200
    assert "Aucune fiche ne correspond à ces filtres." in reponse.text


# --- sorting ------------------------------------------------------------------------------


def cle_reference(fiche):
    return (fiche.axe.transversal, fiche.axe.ordre, fiche.numero)


def test_tris(equipe, demo):
    fiches = list(FicheAction.objects.filter(projet=demo).select_related("axe", "referent"))
    par_pk = {f.pk: f for f in fiches}
    rang = {"a_venir": 0, "en_cours": 1, "terminee": 2}

    pks, reponse = toutes_les_pages(equipe, demo, {})  # référence by default
    assert pks == [f.pk for f in sorted(fiches, key=cle_reference)]
    lignes = re.findall(r'<td class="text-nowrap">(Axe[^<]*)</td>', reponse.text)
    assert lignes[:3] == ["Axe 1 – 01", "Axe 1 – 02", "Axe 1 – 03"]

    pks, _ = toutes_les_pages(equipe, demo, {"tri": "-reference"})
    assert pks == [f.pk for f in sorted(fiches, key=cle_reference, reverse=True)]

    for tri in ["titre", "-titre"]:
        pks, _ = toutes_les_pages(equipe, demo, {"tri": tri})
        # The database's collation decides the order of titles: compare with it, not Python's.
        ordre_base = FicheAction.objects.filter(projet=demo).order_by(tri)
        assert [par_pk[pk].titre for pk in pks] == list(ordre_base.values_list("titre", flat=True))

    pks, _ = toutes_les_pages(equipe, demo, {"tri": "statut"})
    cles = [(rang[par_pk[pk].statut], *cle_reference(par_pk[pk])) for pk in pks]
    assert cles == sorted(cles)
    assert {par_pk[pk].statut for pk in pks} == set(rang)

    pks, _ = toutes_les_pages(equipe, demo, {"tri": "referent"})
    ordre_base = FicheAction.objects.filter(projet=demo).order_by("referent__last_name")
    assert [par_pk[pk].referent.last_name for pk in pks] == list(
        ordre_base.values_list("referent__last_name", flat=True)
    )


def test_tri_par_derniere_modification(equipe, demo):
    fiche = FicheAction.objects.filter(projet=demo).order_by("pk")[10]
    fiche.titre = "Fiche modifiée à l'instant"
    fiche.save()

    pks, reponse = toutes_les_pages(equipe, demo, {"tri": "-modification"})

    assert pks[0] == fiche.pk
    assert reponse.context["page"].object_list[0].titre == "Fiche modifiée à l'instant"


def test_les_en_tetes_de_colonne_trient_et_gardent_les_filtres(equipe, demo):
    reponse = equipe.get(url_liste(demo), {"statut": "en_cours", "tri": "titre", "page": "2"})
    assert 'aria-sort="ascending"><a href="?statut=en_cours&amp;tri=-titre">Titre</a>' in (
        reponse.text
    )
    assert '<a href="?statut=en_cours&amp;tri=referent">Référent</a>' in reponse.text


# --- pagination ---------------------------------------------------------------------------


def test_pagination_par_25_et_liens_qui_gardent_les_filtres(equipe, demo):
    params = {"annee": "2026", "tri": "-titre"}
    attendues = FicheAction.objects.filter(projet=demo, annees__annee=2026).count()
    assert attendues > 25

    page_1 = equipe.get(url_liste(demo), params)

    assert len(page_1.context["page"].object_list) == 25
    assert f"{attendues} fiches" in page_1.text
    assert 'href="?annee=2026&amp;tri=-titre&amp;page=2"' in page_1.text
    page_2 = equipe.get(url_liste(demo), {**params, "page": 2})
    assert len(page_2.context["page"].object_list) == attendues - 25
    assert 'href="?annee=2026&amp;tri=-titre&amp;page=1"' in page_2.text
    tous = [f.pk for f in page_1.context["page"]] + [f.pk for f in page_2.context["page"]]
    assert len(set(tous)) == attendues


# --- bad input ----------------------------------------------------------------------------


def test_une_valeur_de_filtre_invalide_donne_un_message_pas_une_erreur(equipe, demo):
    total = FicheAction.objects.filter(projet=demo).count()
    for champ, valeur in [
        ("annee", "abc"),
        ("annee", "1999"),
        ("axe", "abc"),
        ("enjeu", "999999"),
        ("statut", "perdu"),
        ("tri", "n_importe_quoi"),
    ]:
        reponse = equipe.get(url_liste(demo), {champ: valeur})

        assert reponse.status_code == 200, champ
        assert "Certains filtres ne sont pas valides" in reponse.text
        assert f'id="id_{champ}_error"' in reponse.text
        assert "Sélectionnez un choix valide" in reponse.text
        # The invalid filter is ignored: the whole list is still there.
        assert f"{total} fiches" in reponse.text

    # A partner of another structure is not a choice here, and is not named.
    autre = Partenaire.objects.get(nom="Commune de Saint-Aurèle-sur-Dore")
    reponse = equipe.get(url_liste(demo), {"partenaire": autre.pk})
    assert reponse.status_code == 200
    assert 'id="id_partenaire_error"' in reponse.text
    assert escape(autre.nom) not in reponse.text

    for page in ["abc", "999"]:
        reponse = equipe.get(url_liste(demo), {"page": page})
        assert reponse.status_code == 200
        assert f"{total} fiches" in reponse.text


# --- form, choices and buttons ------------------------------------------------------------


def test_la_page_formulaire_en_francais_limite_au_projet_colonnes_et_liens(equipe, demo):
    reponse = equipe.get(url_liste(demo))
    texte = reponse.text
    assert 'method="get"' in texte
    libelles = dict(re.findall(r'<label[^>]*for="id_(\w+)"[^>]*>\s*([^<]+?)\s*</label>', texte))
    assert libelles == {
        "q": "Recherche",
        "axe": "Axe",
        "enjeu": "Enjeu",
        "objectif": "Objectif général",
        "statut_plan": "Statut dans le plan",
        "statut": "Statut de réalisation",
        "projet_familles": "Projet Animation Collective Familles",
        "projet_jeunesse": "Projet Jeunesse",
        "partenaire": "Partenaire",
        "referent": "Référent",
        "annee": "Année",
        "tri": "Trier par",
    }
    assert ">Filtrer</button>" in texte
    assert f'href="{url_liste(demo)}">Réinitialiser</a>' in texte
    formulaire = reponse.context["filtre"].form
    assert set(formulaire.fields["partenaire"].queryset) == set(
        Partenaire.objects.filter(structure=demo.structure)
    )
    assert set(formulaire.fields["axe"].queryset) == set(demo.axes.all())
    referents = set(formulaire.fields["referent"].queryset.values_list("username", flat=True))
    assert referents == {"direction", "equipe", "nsaidi", "tleroux", "mfontaine"}
    assert "Espace de vie sociale" not in texte

    fiche = FicheAction.objects.get(projet=demo, axe__ordre=2, axe__transversal=False, numero=3)
    for colonne in ["Réf.", "Titre", "E/NA/AE", "Statut", "Référent", "Années"]:
        assert colonne in texte
    assert f'<a href="{reverse("actions:detail", args=[fiche.pk])}">{escape(fiche.titre)}</a>' in (
        texte
    )
    assert "Axe 2 – 03" in texte
    assert f'href="{reverse("actions:creer", args=[demo.pk])}">Nouvelle fiche</a>' in texte


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("equipe_1", 200),
        ("direction_1", 200),
        ("admin", 200),
        ("equipe_2", 404),
        ("user_partenaire_a", 404),
        ("sans_role", 404),
    ],
)
def test_acces_par_role(client, monde, qui, statut):
    client.force_login(getattr(monde, qui))
    reponse = client.get(url_liste(monde.projet_1))
    assert reponse.status_code == statut
    if statut == 200:
        assert "Fiche 1a" in reponse.text and "Fiche 1b" in reponse.text
        assert "Fiche 2a" not in reponse.text


def test_anonyme_renvoye_vers_la_connexion(client, monde):
    reponse = client.get(url_liste(monde.projet_1))
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))


# --- query count --------------------------------------------------------------------------

MAX_REQUETES_LISTE = 16


def test_le_nombre_de_requetes_ne_croit_pas_avec_les_fiches(
    equipe, demo, django_assert_max_num_queries
):
    enjeu = Enjeu.objects.get(projet=demo, numero=2)
    partenaire = Partenaire.objects.get(structure=demo.structure, nom="Logidôme")
    karim = User.objects.get(username="equipe")
    cas = [
        {},
        {"annee": "2026", "statut": "en_cours", "tri": "-referent", "page": "2"},
        {"enjeu": enjeu.pk, "partenaire": partenaire.pk, "referent": karim.pk, "q": "e"},
        {"axe": "abc", "annee": "abc", "tri": "x"},
    ]
    for params in cas:
        with django_assert_max_num_queries(MAX_REQUETES_LISTE):
            assert equipe.get(url_liste(demo), params).status_code == 200

    assert doubler_fiches(demo) == 94

    for params in cas:
        with django_assert_max_num_queries(MAX_REQUETES_LISTE):
            reponse = equipe.get(url_liste(demo), params)
        assert reponse.status_code == 200
    assert "94 fiches" in equipe.get(url_liste(demo)).text

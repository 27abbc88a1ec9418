"""« Contenu du projet »: the page, and adding, editing, deleting and reordering its rows."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from projets.models import (
    ChiffreCle,
    LigneBudget,
    SectionProjet,
    Sigle,
    Territoire,
)
from tests.factories import (
    ChiffreCleFactory,
    InstanceGouvernanceFactory,
    LigneBudgetFactory,
    SectionProjetFactory,
    SigleFactory,
    TerritoireFactory,
)
from tests.outils import doubler_fiches

pytestmark = pytest.mark.django_db

MAX_REQUETES_CONTENU = 17  # one of them: has this account a second factor (every page)


@pytest.fixture
def contenu(monde):
    """A little content in projet 1 (2025–2028), and a territoire of structure 2."""
    projet = monde.projet_1
    monde.sections = [
        SectionProjetFactory(projet=projet, type=t, ordre=i, contenu=f"Texte {t}")
        for i, t in enumerate(["preambule", "methodologie", "conclusion"], start=1)
    ]
    monde.territoire = TerritoireFactory(structure=monde.structure_1, nom="Les Vergers")
    monde.chiffres = [
        ChiffreCleFactory(territoire=monde.territoire, libelle=f"Chiffre {i}", valeur=i, ordre=i)
        for i in (1, 2)
    ]
    monde.instance = InstanceGouvernanceFactory(projet=projet, nom="Comité de pilotage")
    monde.ligne = LigneBudgetFactory(
        projet=projet, annee=2025, sens="charge", libelle="Salaires", montant=1000
    )
    monde.sigle = SigleFactory(projet=projet, sigle="ACF", signification="Animation")
    monde.territoire_2 = TerritoireFactory(structure=monde.structure_2, nom="Ailleurs")
    monde.sigle_2 = SigleFactory(projet=monde.projet_2, sigle="EVS", signification="x")
    return monde


def url(nom, projet, *args):
    return reverse(f"projets:{nom}", args=[projet.pk, *args])


def erreur_du_champ(reponse, champ):
    trouve = re.search(rf'<div id="id_{champ}_error"[^>]*>(.*?)</div>', reponse.text, re.S)
    return trouve.group(1) if trouve else ""


def titres_des_sections(projet):
    return [s.type for s in SectionProjet.objects.filter(projet=projet)]


# --- the page ---------------------------------------------------------------------------


def test_la_page_montre_tout_le_contenu_de_la_demo(client, demo):
    client.force_login(get_user_model().objects.get(username="equipe"))
    reponse = client.get(reverse("projets:contenu", args=[demo.pk]))
    assert reponse.status_code == 200
    html = reponse.text
    assert html.count("<h1") == 1
    for section in demo.sections.all():
        assert escape(section.titre_affiche) in html
    assert "Le présent document est notre <strong>deuxième projet social</strong>" in html
    assert "Saint-Jacques" in html and "7\u202f900</span>" in html and "27,5</span>" in html
    assert "Comité de pilotage (COPIL)" in html
    assert "Budget prévisionnel 2025" in html
    charges = sum(ligne.montant for ligne in demo.lignes_budget.filter(annee=2025, sens="charge"))
    total = f"{charges:,.0f}".replace(",", "\u202f")
    assert re.search(rf'Total des charges</th>\s*<td class="montant">{total} €', html)
    assert "Solde (produits − charges)" in html
    assert '<th scope="row">COPIL</th>' in html and "Comité de pilotage</td>" in html


def test_le_markdown_est_assaini(client, monde):
    SectionProjetFactory(
        projet=monde.projet_1, type="autre", contenu="**gras** <script>alert(1)</script>"
    )
    client.force_login(monde.equipe_1)
    html = client.get(reverse("projets:contenu", args=[monde.projet_1.pk])).text
    assert "<strong>gras</strong>" in html and "<script>alert(1)" not in html


def test_le_solde_du_budget(client, contenu):
    LigneBudgetFactory(
        projet=contenu.projet_1,
        annee=2025,
        sens="produit",
        libelle="CAF",
        montant=Decimal("800.50"),
    )
    client.force_login(contenu.equipe_1)
    html = client.get(reverse("projets:contenu", args=[contenu.projet_1.pk])).text
    assert 'class="montant solde-negatif">\u2212199,50 €' in html


def test_le_nombre_de_requetes_ne_grandit_pas_avec_les_fiches(
    client, demo, django_assert_max_num_queries
):
    client.force_login(get_user_model().objects.get(username="equipe"))
    page = reverse("projets:contenu", args=[demo.pk])
    with django_assert_max_num_queries(MAX_REQUETES_CONTENU):
        assert client.get(page).status_code == 200
    doubler_fiches(demo)
    with django_assert_max_num_queries(MAX_REQUETES_CONTENU):
        assert client.get(page).status_code == 200


# --- access -----------------------------------------------------------------------------


def pages_de_contenu(m):
    """Every page of the content, for projet 1."""
    p = m.projet_1
    pages = [reverse("projets:contenu", args=[p.pk])]
    for nom, objet in [
        ("section", m.sections[0]),
        ("territoire", m.territoire),
        ("chiffre", m.chiffres[0]),
        ("instance", m.instance),
        ("ligne_budget", m.ligne),
        ("sigle", m.sigle),
    ]:
        pages += [url(f"{nom}_creer", p), url(f"{nom}_modifier", p, objet.pk)]
        pages.append(url(f"{nom}_supprimer", p, objet.pk))
    return pages


@pytest.mark.parametrize(
    ("qui", "attendu"),
    [
        ("direction_1", 200),
        ("equipe_1", 200),
        ("equipe_2", 404),
        ("user_partenaire_a", 404),
        ("sans_role", 404),
    ],
)
def test_acces_par_role(client, contenu, qui, attendu):
    client.force_login(getattr(contenu, qui))
    for page in pages_de_contenu(contenu):
        assert client.get(page).status_code == attendu, page


def test_anonyme_renvoye_a_la_connexion(client, contenu):
    for page in pages_de_contenu(contenu):
        reponse = client.get(page)
        assert reponse.status_code == 302 and reponse.url.startswith(reverse("login")), page


def test_les_ecritures_d_une_autre_structure_sont_refusees(client, contenu):
    client.force_login(contenu.equipe_2)
    p = contenu.projet_1
    assert client.post(url("sigle_supprimer", p, contenu.sigle.pk)).status_code == 404
    assert (
        client.post(
            url("section_deplacer", p, contenu.sections[1].pk), {"sens": "monter"}
        ).status_code
        == 404
    )
    reponse = client.post(url("sigle_creer", p), {"sigle": "X", "signification": "Y"})
    assert reponse.status_code == 404
    assert Sigle.objects.filter(projet=p).count() == 1


def test_un_objet_d_un_autre_projet_via_mon_projet_est_introuvable(client, contenu):
    """The row must belong to the projet of the URL, even for someone who edits that projet."""
    client.force_login(contenu.equipe_1)
    p = contenu.projet_1
    assert client.get(url("sigle_modifier", p, contenu.sigle_2.pk)).status_code == 404
    assert client.post(url("sigle_supprimer", p, contenu.sigle_2.pk)).status_code == 404
    assert client.get(url("territoire_modifier", p, contenu.territoire_2.pk)).status_code == 404
    assert Sigle.objects.filter(pk=contenu.sigle_2.pk).exists()


def test_l_equipe_voit_les_liens_d_edition(client, contenu):
    client.force_login(contenu.equipe_1)
    html = client.get(reverse("projets:contenu", args=[contenu.projet_1.pk])).text
    assert f'href="{url("sigle_modifier", contenu.projet_1, contenu.sigle.pk)}"' in html
    assert f'href="{url("section_creer", contenu.projet_1)}"' in html


# --- sections: add, edit, delete, reorder ------------------------------------------------


def test_ajouter_une_section_la_met_a_la_fin(client, contenu):
    client.force_login(contenu.equipe_1)
    p = contenu.projet_1
    reponse = client.post(
        url("section_creer", p), {"type": "besoins", "titre": "", "contenu": "Des **besoins**"}
    )
    section = SectionProjet.objects.get(projet=p, type="besoins")
    assert reponse.status_code == 302
    assert reponse.url == reverse("projets:contenu", args=[p.pk]) + f"#section-{section.pk}"
    assert titres_des_sections(p)[-1] == "besoins"
    page = client.get(reverse("projets:contenu", args=[p.pk])).text
    assert "Ajout enregistré : « Besoins »." in page and "Des <strong>besoins</strong>" in page


def test_modifier_une_section(client, contenu):
    client.force_login(contenu.equipe_1)
    section = contenu.sections[0]
    page = url("section_modifier", contenu.projet_1, section.pk)
    assert "Texte preambule" in client.get(page).text
    client.post(page, {"type": "preambule", "titre": "Notre histoire", "contenu": "Neuf"})
    section.refresh_from_db()
    assert (section.titre, section.contenu) == ("Notre histoire", "Neuf")


def test_section_sans_type_refusee_et_texte_garde(client, contenu):
    client.force_login(contenu.equipe_1)
    reponse = client.post(
        url("section_creer", contenu.projet_1),
        {"type": "", "titre": "Mon titre", "contenu": "Mon texte"},
    )
    assert reponse.status_code == 200
    assert "Ce champ est obligatoire." in erreur_du_champ(reponse, "type")
    assert 'value="Mon titre"' in reponse.text and "Mon texte</textarea>" in reponse.text
    assert SectionProjet.objects.filter(projet=contenu.projet_1).count() == 3


def test_supprimer_demande_confirmation_puis_supprime(client, contenu):
    client.force_login(contenu.equipe_1)
    section = contenu.sections[1]
    page = url("section_supprimer", contenu.projet_1, section.pk)
    confirmation = client.get(page)
    assert "Supprimer la section ?" in confirmation.text and "« Méthodologie »" in confirmation.text
    assert SectionProjet.objects.filter(pk=section.pk).exists()
    reponse = client.post(page, follow=True)
    assert not SectionProjet.objects.filter(pk=section.pk).exists()
    assert "Suppression effectuée : « Méthodologie »." in reponse.text


def test_supprimer_un_territoire_previent_et_emporte_ses_chiffres(client, contenu):
    client.force_login(contenu.equipe_1)
    page = url("territoire_supprimer", contenu.projet_1, contenu.territoire.pk)
    assert "Ses chiffres clés seront supprimés avec lui." in client.get(page).text
    client.post(page)
    assert not ChiffreCle.objects.filter(territoire__nom="Les Vergers").exists()


@pytest.mark.parametrize(
    ("indice", "sens", "attendu"),
    [
        (1, "monter", ["methodologie", "preambule", "conclusion"]),
        (1, "descendre", ["preambule", "conclusion", "methodologie"]),
        (0, "monter", ["preambule", "methodologie", "conclusion"]),
        (2, "descendre", ["preambule", "methodologie", "conclusion"]),
    ],
)
def test_deplacer_une_section(client, contenu, indice, sens, attendu):
    client.force_login(contenu.equipe_1)
    section = contenu.sections[indice]
    reponse = client.post(url("section_deplacer", contenu.projet_1, section.pk), {"sens": sens})
    assert reponse.status_code == 302 and reponse.url.endswith(f"#section-{section.pk}")
    assert titres_des_sections(contenu.projet_1) == attendu


def test_deplacer_se_fait_par_post_seulement(client, contenu):
    client.force_login(contenu.equipe_1)
    page = url("section_deplacer", contenu.projet_1, contenu.sections[1].pk)
    assert client.get(page).status_code == 405
    assert client.post(page, {"sens": "ailleurs"}).status_code == 400
    assert titres_des_sections(contenu.projet_1) == ["preambule", "methodologie", "conclusion"]


def test_deplacer_un_chiffre_reste_dans_son_territoire(client, contenu):
    autre = TerritoireFactory(structure=contenu.structure_1, nom="Autre")
    ChiffreCleFactory(territoire=autre, libelle="Ailleurs", valeur=9, ordre=0)
    client.force_login(contenu.equipe_1)
    deuxieme = contenu.chiffres[1]
    client.post(url("chiffre_deplacer", contenu.projet_1, deuxieme.pk), {"sens": "monter"})
    libelles = list(contenu.territoire.chiffres.values_list("libelle", flat=True))
    assert libelles == ["Chiffre 2", "Chiffre 1"]


def test_deplacer_une_instance(client, contenu):
    seconde = InstanceGouvernanceFactory(projet=contenu.projet_1, nom="COTECH", ordre=5)
    client.force_login(contenu.equipe_1)
    client.post(url("instance_deplacer", contenu.projet_1, seconde.pk), {"sens": "monter"})
    noms = list(contenu.projet_1.instances.values_list("nom", flat=True))
    assert noms == ["COTECH", "Comité de pilotage"]


# --- territoires and chiffres ------------------------------------------------------------


def test_un_territoire_cree_appartient_a_la_structure(client, contenu):
    client.force_login(contenu.equipe_1)
    client.post(
        url("territoire_creer", contenu.projet_1),
        {"nom": "Le Bourg", "quartiers": "Centre", "qpv": "on", "communes": "Ville"},
    )
    territoire = Territoire.objects.get(nom="Le Bourg")
    assert territoire.structure == contenu.structure_1 and territoire.qpv


def test_un_territoire_en_double_est_refuse_sous_le_nom(client, contenu):
    client.force_login(contenu.equipe_1)
    reponse = client.post(url("territoire_creer", contenu.projet_1), {"nom": "Les Vergers"})
    assert reponse.status_code == 200
    message = "Cette structure a déjà un territoire de ce nom."
    assert message in erreur_du_champ(reponse, "nom")
    assert Territoire.objects.filter(nom="Les Vergers").count() == 1


def test_un_chiffre_ne_va_que_dans_un_territoire_de_la_structure(client, contenu):
    client.force_login(contenu.equipe_1)
    page = url("chiffre_creer", contenu.projet_1)
    formulaire = client.get(page + f"?territoire={contenu.territoire.pk}").text
    assert "Les Vergers" in formulaire and "Ailleurs" not in formulaire
    assert f'<option value="{contenu.territoire.pk}" selected>' in formulaire
    donnees = {"libelle": "Habitants", "valeur": "1200", "unite": "habitants"}
    reponse = client.post(page, {**donnees, "territoire": contenu.territoire_2.pk})
    assert reponse.status_code == 200 and erreur_du_champ(reponse, "territoire")
    client.post(page, {**donnees, "territoire": contenu.territoire.pk})
    chiffre = ChiffreCle.objects.get(libelle="Habitants")
    assert chiffre.territoire == contenu.territoire and chiffre.ordre == 3


# --- budget -------------------------------------------------------------------------------


def test_une_ligne_de_budget_hors_periode_ou_negative_est_refusee(client, contenu):
    client.force_login(contenu.equipe_1)
    page = url("ligne_budget_creer", contenu.projet_1)
    donnees = {"annee": 2031, "sens": "produit", "libelle": "Subvention tapée", "montant": "5"}
    reponse = client.post(page, donnees)
    assert reponse.status_code == 200
    assert (
        "L&#x27;année doit être comprise dans la période du projet (2025–2028)."
        in erreur_du_champ(reponse, "annee")
    )
    reponse = client.post(page, {**donnees, "annee": 2026, "montant": "-5"})
    assert "Le montant ne peut pas être négatif." in erreur_du_champ(reponse, "montant")
    assert 'value="Subvention tapée"' in reponse.text and 'value="-5"' in reponse.text
    assert LigneBudget.objects.filter(projet=contenu.projet_1).count() == 1


def test_modifier_une_ligne_de_budget(client, contenu):
    client.force_login(contenu.equipe_1)
    page = url("ligne_budget_modifier", contenu.projet_1, contenu.ligne.pk)
    reponse = client.post(
        page, {"annee": 2026, "sens": "charge", "libelle": "Salaires", "montant": "1500.50"}
    )
    assert reponse.url.endswith(f"#ligne_budget-{contenu.ligne.pk}")
    contenu.ligne.refresh_from_db()
    assert (contenu.ligne.annee, contenu.ligne.montant) == (2026, Decimal("1500.50"))


# --- sigles -------------------------------------------------------------------------------


def test_un_sigle_en_double_est_refuse_sous_le_champ(client, contenu):
    client.force_login(contenu.equipe_1)
    reponse = client.post(
        url("sigle_creer", contenu.projet_1), {"sigle": "acf", "signification": "Autre sens"}
    )
    assert reponse.status_code == 200
    assert "Ce sigle est déjà défini dans ce projet social." in erreur_du_champ(reponse, "sigle")
    assert 'value="Autre sens"' in reponse.text
    assert Sigle.objects.filter(projet=contenu.projet_1).count() == 1


def test_le_meme_sigle_dans_un_autre_projet_est_permis(client, contenu):
    client.force_login(contenu.equipe_1)
    client.post(url("sigle_creer", contenu.projet_1), {"sigle": "EVS", "signification": "Espace"})
    assert Sigle.objects.filter(projet=contenu.projet_1, sigle="EVS").exists()


def test_modifier_un_sigle_sans_changer_son_nom(client, contenu):
    client.force_login(contenu.equipe_1)
    client.post(
        url("sigle_modifier", contenu.projet_1, contenu.sigle.pk),
        {"sigle": "ACF", "signification": "Animation collective familles"},
    )
    contenu.sigle.refresh_from_db()
    assert contenu.sigle.signification == "Animation collective familles"

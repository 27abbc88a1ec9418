"""A real projet goes in and comes out whole: every part has a home, nothing is invented, and an
empty field prints nothing (issue « fidélité »)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from actions.models import Indicateur
from dossier.contenu import charger
from dossier.plan import chapitres
from dossier.rendu import html_dossier, rendre_dossier, rendre_fiche
from projets.models import (
    ChiffreCle,
    ColonneChiffres,
    Enjeu,
    ImageSection,
    SectionProjet,
    ValeurComparee,
)
from tests.factories import (
    ColonneChiffresFactory,
    EnjeuFactory,
    FicheActionFactory,
    ImageSectionFactory,
    IndicateurFactory,
    MembreFactory,
    MoyenFactory,
    PartenaireFactory,
    PartenariatActionFactory,
    SectionProjetFactory,
    TerritoireFactory,
    image_png,
)


def texte_pdf(pdf):
    lecteur = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in lecteur.pages))


def textes_alternatifs(lecteur):
    """The /Alt of every Figure of the tagged PDF's structure tree."""
    trouves = []

    def parcourir(element):
        element = element.get_object() if hasattr(element, "get_object") else element
        if isinstance(element, list):
            for enfant in element:
                parcourir(enfant)
        elif hasattr(element, "get"):
            if element.get("/S") == "/Figure" and "/Alt" in element:
                trouves.append(str(element["/Alt"]))
            if "/K" in element:
                parcourir(element["/K"])

    parcourir(lecteur.trailer["/Root"]["/StructTreeRoot"])
    return trouves


@pytest.fixture
def fiche(db):
    return FicheActionFactory(titre="Les cafés des parents", contexte="Des parents isolés.")


@pytest.fixture
def projet(fiche):
    return fiche.projet


@pytest.fixture
def equipe(client, projet):
    client.force_login(MembreFactory(structure=projet.structure).user)
    return client


@pytest.fixture
def direction(client, projet):
    client.force_login(MembreFactory(structure=projet.structure, direction=True).user)
    return client


# --- Nothing invented ---


def test_une_fiche_sans_code_ni_role_ni_objet_n_imprime_rien_d_invente(fiche):
    assert fiche.statut_plan == ""  # no code nobody chose
    partenaire = PartenaireFactory(structure=fiche.projet.structure, nom="Les parents")
    PartenariatActionFactory(fiche=fiche, partenaire=partenaire)
    IndicateurFactory(fiche=fiche, objet="", libelle="Nombre de familles", outil="")
    html = html_dossier(fiche.projet)
    reperes = re.search(r'<p class="fiche-reperes">(.*?)</p>', html).group(1)
    assert 'class="code-plan"' not in reperes and "action" not in reperes.lower()
    assert "intervenant" not in html.lower()
    assert re.search(r"<li>•\xa0<strong>Les parents</strong></li>", html)
    assert re.search(r"<li>•\xa0Nombre de familles</li>", html)


def test_un_referent_sans_compte(equipe, fiche):
    fiche.referent_libelle = "Référente familles"
    fiche.save()
    assert "Référent : Référente familles" in html_dossier(fiche.projet)
    page = equipe.get(reverse("actions:detail", args=[fiche.pk])).text
    assert "Référente familles" in page


def test_les_chiffres_d_un_indicateur_tels_que_saisis(fiche):
    indicateur = IndicateurFactory(
        fiche=fiche, libelle="Participants", unite="personnes", cible_precision="60 à 80"
    )
    assert indicateur.reperes == "cible : 60 à 80"
    indicateur.valeur_reference, indicateur.cible = 50, 70
    assert indicateur.reperes == "aujourd'hui 50 → cible 70\u00a0personnes (60 à 80)"
    indicateur.cible, indicateur.cible_precision = None, ""
    assert indicateur.reperes == "aujourd'hui 50\u00a0personnes"
    assert Indicateur(libelle="x").reperes == ""


# --- Enjeux, structure, dossier facts ---


def test_un_enjeu_a_sa_description_imprimee(projet):
    enjeu = EnjeuFactory(axe=projet.axes.get(), description="Les familles **monoparentales**.")
    html = html_dossier(projet)
    assert f"Enjeu n° {enjeu.numero} : {enjeu.titre}" in html
    assert "<strong>monoparentales</strong>" in html


def test_un_titre_trop_long_est_refuse_jamais_coupe(equipe, projet):
    enjeu = EnjeuFactory(axe=projet.axes.get())
    titre = "Faire ensemble " * 20  # 300 characters
    reponse = equipe.post(
        reverse("projets:enjeu_modifier", args=[enjeu.pk]), {"numero": 1, "titre": titre}
    )
    assert reponse.status_code == 200
    assert "au plus 255 caractères (actuellement 299)" in reponse.text  # 300, stripped
    assert titre.strip() in reponse.text  # what was typed is kept
    assert "maxlength" not in reponse.text  # no browser cuts it either
    assert Enjeu.objects.get(pk=enjeu.pk).titre != titre


def test_la_direction_renseigne_la_structure_imprimee_dans_le_dossier(direction, projet):
    url = reverse("projets:structure_modifier", args=[projet.pk])
    donnees = {
        "nom": projet.structure.nom,
        "type": "centre_social",
        "gestionnaire": "commune",
        "porteur": "Ville de Vierzon",
        "service": "Direction de la cohésion sociale",
        "caf": "CAF du Cher",
        "nombre_agents": "12",
        "equipe": "- 1 directrice\n- 3 ADS",
    }
    assert direction.post(url, donnees).status_code == 302
    projet.structure.refresh_from_db()
    assert projet.structure.nombre_agents == 12
    projet.date_dossier = "Mars 2025"
    projet.save()
    texte = texte_pdf(rendre_dossier(projet))
    assert "Ville de Vierzon" in texte and "Dossier présenté à la CAF du Cher · Mars 2025" in texte
    assert "Nombre d'agents 12" in texte and "3 ADS" in texte
    assert "édité le" not in texte


def test_l_equipe_ne_modifie_pas_la_structure(equipe, projet):
    reponse = equipe.get(reverse("projets:structure_modifier", args=[projet.pk]))
    assert reponse.status_code == 403


def test_sans_date_du_dossier_la_couverture_n_en_invente_pas(projet):
    html = html_dossier(projet)
    assert "Dossier présenté à la Caisse d'allocations familiales</p>" in html


# --- Chiffres clés with comparison columns ---


def test_chiffres_compares_a_la_ville_et_a_la_france(equipe, projet):
    territoire = TerritoireFactory(structure=projet.structure, nom="QPV Saint-Jacques")
    equipe.post(
        reverse("projets:colonne_creer", args=[projet.pk]),
        {"territoire": territoire.pk, "intitule": "Ville"},
    )
    equipe.post(
        reverse("projets:colonne_creer", args=[projet.pk]),
        {"territoire": territoire.pk, "intitule": "France"},
    )
    ville, france = ColonneChiffres.objects.filter(territoire=territoire).order_by("ordre")
    url = reverse("projets:chiffre_creer", args=[projet.pk]) + f"?territoire={territoire.pk}"
    formulaire = equipe.get(url).text
    assert "Valeur : Ville" in formulaire and "Valeur : France" in formulaire
    reponse = equipe.post(
        url,
        {
            "territoire": territoire.pk,
            "libelle": "Indice jeunesse",
            "valeur": "1,5",
            f"colonne_{ville.pk}": "1,0",
            f"colonne_{france.pk}": "",  # « nc »: left empty, prints nothing
        },
    )
    assert reponse.status_code == 302
    chiffre = ChiffreCle.objects.get(libelle="Indice jeunesse")
    assert ValeurComparee.objects.get(chiffre=chiffre, colonne=ville).valeur == 1
    assert not ValeurComparee.objects.filter(colonne=france).exists()
    html = html_dossier(projet)
    ligne = re.search(r"<tr><th scope=\"row\">Indice jeunesse</th>.*?</tr>", html).group(0)
    cellules = re.findall(r'<td class="nombre">(?:<span class="chiffre">([^<]*)</span>)?', ligne)
    assert cellules == ["1,5", "1", ""]
    assert '<th scope="col" class="nombre">Ville</th>' in html
    page = equipe.get(reverse("projets:contenu", args=[projet.pk])).text
    assert "Colonnes de comparaison" in page and ">1,5</span>" in page


def test_valeurs_saisies_sous_les_colonnes_d_un_autre_territoire_refusees(equipe, projet):
    un = TerritoireFactory(structure=projet.structure, nom="Nord")
    deux = TerritoireFactory(structure=projet.structure, nom="Sud")
    colonne = ColonneChiffresFactory(territoire=un, intitule="Ville")
    reponse = equipe.post(
        reverse("projets:chiffre_creer", args=[projet.pk]),
        {"territoire": deux.pk, "libelle": "Habitants", f"colonne_{colonne.pk}": "12"},
    )
    assert reponse.status_code == 200 and "rien n&#x27;a été enregistré" in reponse.text
    assert not ChiffreCle.objects.exists()


# --- Images in the written sections ---


@pytest.fixture
def section(projet):
    return SectionProjetFactory(
        projet=projet, type=SectionProjet.Type.PORTRAIT, contenu="Le quartier en 2025."
    )


def test_une_image_se_depose_s_affiche_et_s_imprime_avec_son_texte_alternatif(
    equipe, projet, section
):
    reponse = equipe.post(
        reverse("projets:image_creer", args=[projet.pk]),
        {
            "section": section.pk,
            "image": image_png("carte du quartier.png.exe", 800, 400),
            "legende": "Le quartier et ses équipements",
            "texte_alternatif": "Carte du quartier : école, gymnase, centre social",
            "largeur": "moitie",
        },
    )
    assert reponse.status_code == 302, reponse.content
    image = ImageSection.objects.get()
    assert image.image.name.endswith(".png") and ".exe" not in image.image.name
    servie = equipe.get(reverse("projets:image", args=[projet.pk, image.pk]))
    assert servie["Content-Type"] == "image/png" and servie["X-Content-Type-Options"] == "nosniff"
    page = equipe.get(reverse("projets:contenu", args=[projet.pk])).text
    assert 'alt="Carte du quartier : école, gymnase, centre social"' in page
    html = html_dossier(projet)
    assert '<figure class="image-section image-moitie"><img src="stockage:projets/images/' in html
    assert "<figcaption>Le quartier et ses équipements</figcaption>" in html
    figures = textes_alternatifs(PdfReader(io.BytesIO(rendre_dossier(projet))))
    assert figures == ["Carte du quartier : école, gymnase, centre social"]
    apercu = html_dossier(projet, apercu=True)
    assert '<img src="data:image/png;base64,' in apercu


@pytest.mark.parametrize(
    "fichier, message",
    [
        (SimpleUploadedFile("x.png", b"<svg onload=alert(1)>"), "PNG ou JPEG"),
        (SimpleUploadedFile("x.pdf", b"%PDF-1.7\n"), "PNG ou JPEG"),
        (SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50), "illisible"),
    ],
)
def test_une_image_refusee_dit_pourquoi(equipe, projet, section, fichier, message):
    reponse = equipe.post(
        reverse("projets:image_creer", args=[projet.pk]),
        {
            "section": section.pk,
            "image": fichier,
            "texte_alternatif": "Une image",
            "largeur": "pleine",
        },
    )
    assert reponse.status_code == 200
    assert message in reponse.text or "image valide" in reponse.text
    assert not ImageSection.objects.exists()


def test_une_image_sans_texte_alternatif_est_refusee(equipe, projet, section):
    reponse = equipe.post(
        reverse("projets:image_creer", args=[projet.pk]),
        {"section": section.pk, "image": image_png(), "largeur": "pleine"},
    )
    assert reponse.status_code == 200 and "Ce champ est obligatoire." in reponse.text


def test_l_image_d_un_autre_projet_est_introuvable(client, projet, section):
    autre = FicheActionFactory().projet
    client.force_login(MembreFactory(structure=autre.structure).user)
    image = ImageSectionFactory(section=section, image=image_png(), texte_alternatif="x")
    assert client.get(reverse("projets:image", args=[autre.pk, image.pk])).status_code == 404
    assert client.get(reverse("projets:image", args=[projet.pk, image.pk])).status_code == 404


# --- Chapters real dossiers have ---


def test_chapitres_libres_annexes_evaluation_et_organisation(projet):
    ajouter = SectionProjet.objects.create
    ajouter(projet=projet, type="autre", titre="Le mot du maire", contenu="Bienvenue.", ordre=1)
    ajouter(projet=projet, type="conclusion", contenu="Pour conclure.", ordre=2)
    ajouter(projet=projet, type="annexes", contenu="Liste des annexes.", ordre=3)
    ajouter(projet=projet, type="evaluation_precedent", contenu="Bilan 2021-2024.", ordre=4)
    ajouter(projet=projet, type="organisation", contenu="Organigramme.", ordre=5)
    titres = [c.titre for c in chapitres(charger(projet))]
    assert titres == [
        "Évaluation du projet précédent",
        "Orientations et arbre des objectifs",
        "Fiches actions par axe",
        "Gouvernance et organisation",
        "Le mot du maire",
        "Conclusion",
        "Annexes",
    ]
    libre = next(c for c in chapitres(charger(projet)) if c.titre == "Le mot du maire")
    assert libre.numero and libre.parties[0].titre_masque  # not titled twice


def test_un_chapitre_libre_a_un_titre(equipe, projet):
    reponse = equipe.post(
        reverse("projets:section_creer", args=[projet.pk]), {"type": "autre", "contenu": "x"}
    )
    assert "donnez-le" in reponse.text and not SectionProjet.objects.exists()


def test_budget_transmis_separement(projet):
    assert "Budget prévisionnel" not in html_dossier(projet)
    projet.budget_mention = "Le budget prévisionnel est transmis séparément à la CAF."
    projet.save()
    html = html_dossier(projet)
    assert "Budget prévisionnel</h2>" in html and "transmis séparément à la CAF" in html


# --- The fiche's numbers, the same on the page and in the PDF ---


def test_un_nombre_s_imprime_pareil_sur_la_page_et_dans_le_pdf(equipe, fiche):

    MoyenFactory(fiche=fiche, type="humain", libelle="Animatrices", quantite="2.6")
    MoyenFactory(fiche=fiche, type="financier", libelle="Sorties", montant="1250.50")
    page = equipe.get(reverse("actions:detail", args=[fiche.pk])).text
    assert '<span class="fiche-quantite">2,6</span>' in page
    assert "1\u202f250,50 €" in page
    pdf = texte_pdf(rendre_fiche(fiche))
    assert "2,6 × Animatrices" in pdf and "Sorties (1 250,50 €)" in pdf.replace("\u202f", " ")


def test_le_renouvellement_garde_les_images_des_sections(projet, section):
    from actions.renouvellement import renouveler_projet

    ImageSectionFactory(section=section, image=image_png(), texte_alternatif="Carte")
    nouveau = renouveler_projet(
        projet, "Projet suivant", projet.annee_fin + 1, projet.annee_fin + 4
    )
    copie = ImageSection.objects.get(section__projet=nouveau)
    assert copie.texte_alternatif == "Carte" and copie.section.contenu == section.contenu
    assert ImageSection.objects.filter(section__projet=projet).count() == 1

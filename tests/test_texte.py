from django.template import Context, Template

from centresocial.lib.texte import markdown_sur


def test_markdown_rend_listes_et_gras():
    html = markdown_sur("Un **atelier** :\n\n- le mardi\n- le jeudi")
    assert "<strong>atelier</strong>" in html
    assert "<li>le mardi</li>" in html


def test_le_html_de_l_utilisateur_est_assaini():
    html = markdown_sur(
        'Bonjour <script>alert("x")</script><img src=x onerror=alert(1)> '
        '[lien](javascript:alert(1)) <a href="https://exemple.org" onclick="x()">ok</a>'
    )
    assert "<script" not in html and 'alert("x")' not in html
    assert "<img" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert 'href="https://exemple.org"' in html


def test_filtre_de_gabarit():
    rendu = Template("{% load texte %}{{ texte|markdown }}").render(
        Context({"texte": "Moins de 5 < 6 & « guillemets »"})
    )
    assert "5 &lt; 6 &amp; « guillemets »" in rendu


def test_texte_vide():
    assert markdown_sur("") == ""


# --- Text pasted from Word or LibreOffice keeps its shape ---


def test_un_retour_a_la_ligne_reste_un_retour_a_la_ligne():
    html = markdown_sur("Première ligne\nDeuxième ligne")
    assert html == "<p>Première ligne<br>\nDeuxième ligne</p>"


def test_une_liste_juste_apres_une_ligne_est_une_liste():
    html = markdown_sur("Les temps forts :\n- la fête de quartier\n- le repas partagé")
    assert "<p>Les temps forts :</p>" in html
    assert "<ul>\n<li>la fête de quartier</li>\n<li>le repas partagé</li>\n</ul>" in html


def test_les_puces_de_word():
    for puce in ["•\t", "• ", "– ", "\uf0b7\t", "▪ ", "-", "* "]:
        html = markdown_sur(f"Objectifs :\n{puce}Accueillir\n{puce}Orienter")
        assert "<li>Accueillir</li>" in html and "<li>Orienter</li>" in html, puce


def test_une_ligne_apres_une_liste_n_est_pas_la_fin_du_dernier_point():
    html = markdown_sur("• Accueillir\n• Orienter\nPublic : les habitants")
    assert "<li>Orienter</li>" in html and "<p>Public : les habitants</p>" in html


def test_numeros_et_lettres_de_word():
    html = markdown_sur("Étapes :\n1) Repérer\n2) Réunir\na) le lundi\nb) le jeudi\n3) Évaluer")
    assert "<ol>\n<li>Repérer</li>" in html
    assert '<ol type="a">\n<li>le lundi</li>\n<li>le jeudi</li>\n</ol>' in html
    assert "<li>Évaluer</li>" in html
    assert markdown_sur("3. trois\n4. quatre").startswith('<ol start="3">')


def test_sous_puces_de_word():
    html = markdown_sur("•\tAccueil\no\tle matin\no\tle soir\n•\tAteliers")
    assert "<li>Accueil<ul>\n<li>le matin</li>\n<li>le soir</li>\n</ul>\n</li>" in html
    assert "<li>Ateliers</li>" in html


def test_un_tiret_dans_une_phrase_ou_un_nombre_negatif_n_est_pas_une_puce():
    html = markdown_sur("Il fait -3 degrés – au moins\n2024. Une année")
    assert "<li>" not in html


def test_deux_listes_separees_restent_deux_listes():
    html = markdown_sur("a) premier\nb) second\n\n1. un\n2. deux")
    assert html.count("<ol") == 2 and '<ol type="a">' in html


def test_le_texte_enregistre_n_est_pas_change():
    """The shape is read at display time: what the user typed is stored as typed."""
    from centresocial.lib.texte import preparer

    texte = "Objectifs :\n•\tAccueillir"
    preparer(texte)
    assert texte == "Objectifs :\n•\tAccueillir"

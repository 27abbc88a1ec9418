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

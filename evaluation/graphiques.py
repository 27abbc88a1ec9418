"""Charts drawn on the server as inline SVG: readable without JavaScript, printable, and each
with a <title> and a <desc> that say in words what the bars show (the page also gives the data
as a table). Colours come from classes styled in static/css/evaluation.css; targets are drawn
as a different shape (a line), so colour is never the only cue.
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from centresocial.lib.nombres import format_nombre


def _nombre(valeur):
    return f"{valeur:.1f}".rstrip("0").rstrip(".")


def _graduation(valeur):
    """The top of the axis as printed: whole from 10 on, one decimal below (never the binary
    tail of a float, « 6 324,999999999999090505298227 », which the chart cut off)."""
    return format_nombre(Decimal(str(round(valeur) if valeur >= 10 else round(valeur, 1))))


def _svg(ident, titre, description, largeur, hauteur, corps):
    return mark_safe(
        f'<svg class="eval-graphique" viewBox="0 0 {largeur} {hauteur}" width="100%" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(titre)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>{"".join(corps)}</svg>'
    )


def graphique_indicateur(ident, titre, annees, resultats, cibles, reference=None, unite=""):
    """Bars of the yearly results, a line for each year's target, a dashed baseline.

    `resultats` and `cibles` map a year to a number, or None when there is nothing to draw."""
    largeur, hauteur = 360, 180
    gauche, droite, haut, bas = 48, 8, 12, 26
    valeurs = [v for v in [*resultats.values(), *cibles.values(), reference] if v is not None]
    maximum = float(max(valeurs, default=0)) * 1.15 or 1
    plot_h = hauteur - haut - bas
    bande = (largeur - gauche - droite) / max(len(annees), 1)

    def y(v):
        return haut + plot_h - float(v) / float(maximum) * plot_h

    corps = [
        f'<line class="eval-axe" x1="{gauche}" y1="{haut + plot_h}" x2="{largeur - droite}" '
        f'y2="{haut + plot_h}"/>',
        f'<text class="eval-texte" x="{gauche - 4}" y="{haut + plot_h}" text-anchor="end">0</text>',
        f'<text class="eval-texte" x="{gauche - 4}" y="{haut + 8}" text-anchor="end">'
        f"{escape(_graduation(maximum))}</text>",
    ]
    if reference is not None:
        corps.append(
            f'<line class="eval-reference" x1="{gauche}" y1="{_nombre(y(reference))}" '
            f'x2="{largeur - droite}" y2="{_nombre(y(reference))}"/>'
        )
    phrases = []
    for i, annee in enumerate(annees):
        x = gauche + i * bande
        centre = x + bande / 2
        resultat, cible = resultats.get(annee), cibles.get(annee)
        if resultat is not None:
            corps.append(
                f'<rect class="eval-resultat" x="{_nombre(x + bande * 0.25)}" '
                f'y="{_nombre(y(resultat))}" width="{_nombre(bande * 0.5)}" '
                f'height="{_nombre(haut + plot_h - y(resultat))}"/>'
            )
        if cible is not None:
            corps.append(
                f'<line class="eval-cible" x1="{_nombre(x + bande * 0.12)}" '
                f'y1="{_nombre(y(cible))}" x2="{_nombre(x + bande * 0.88)}" '
                f'y2="{_nombre(y(cible))}"/>'
            )
        corps.append(
            f'<text class="eval-texte" x="{_nombre(centre)}" y="{hauteur - 8}" '
            f'text-anchor="middle">{annee}</text>'
        )
        phrase = f"{annee} : " + (
            f"{format_nombre(resultat)} {unite}".strip()
            if resultat is not None
            else "pas de résultat"
        )
        if cible is not None:
            phrase += f" (cible {format_nombre(cible)})"
        phrases.append(phrase)
    description = " ; ".join(phrases) + "."
    if reference is not None:
        description += f" Valeur de référence : {format_nombre(reference)}."
    return _svg(ident, titre, description, largeur, hauteur, corps)


def barres_horizontales(ident, titre, lignes, maximum=None, libelles_valeurs=None):
    """One labelled bar per row: `lignes` is [(libellé, nombre)]."""
    largeur, hauteur_ligne, gauche = 480, 26, 190
    maximum = maximum or max((v for _, v in lignes), default=0) or 1
    corps = []
    phrases = []
    for i, (libelle, valeur) in enumerate(lignes):
        y = 6 + i * hauteur_ligne
        texte = libelles_valeurs[i] if libelles_valeurs else format_nombre(valeur)
        long = (largeur - gauche - 60) * float(valeur or 0) / float(maximum)
        court = libelle if len(libelle) <= 30 else libelle[:29] + "…"
        corps.append(
            f'<text class="eval-texte" x="{gauche - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(court)}</text>"
            f'<rect class="eval-barre" x="{gauche}" y="{y + 3}" width="{_nombre(long)}" '
            f'height="{hauteur_ligne - 8}"/>'
            f'<text class="eval-texte" x="{_nombre(gauche + long + 6)}" y="{y + 15}">'
            f"{escape(texte)}</text>"
        )
        phrases.append(f"{libelle} : {texte}")
    hauteur = 12 + len(lignes) * hauteur_ligne
    return _svg(ident, titre, " ; ".join(phrases) + ".", largeur, hauteur, corps)


def barres_comparees(ident, titre, lignes, maximum, libelle_a, libelle_b, echelle=None):
    """Two bars per row (a above b, b hatched): `lignes` is [(libellé, a, b)], None = no bar."""
    largeur, hauteur_ligne, gauche = 600, 44, 150
    corps = []
    phrases = []
    for i, (libelle, a, b) in enumerate(lignes):
        y = 6 + i * hauteur_ligne
        court = libelle if len(libelle) <= 30 else libelle[:29] + "…"
        corps.append(
            f'<text class="eval-texte" x="{gauche - 6}" y="{y + 22}" text-anchor="end">'
            f"{escape(court)}</text>"
        )
        textes = []
        for j, (valeur, classe, nom) in enumerate(
            [(a, "eval-barre", libelle_a), (b, "eval-barre-visee", libelle_b)]
        ):
            long = (largeur - gauche - 230) * float(valeur or 0) / float(maximum)
            texte = "—" if valeur is None else _nombre(valeur)
            if echelle and valeur is not None:
                texte += f" ({echelle(valeur)})"
            corps.append(
                f'<rect class="{classe}" x="{gauche}" y="{y + 3 + j * 18}" '
                f'width="{_nombre(long)}" height="15"/>'
                f'<text class="eval-texte" x="{_nombre(gauche + long + 6)}" y="{y + 15 + j * 18}">'
                f"{escape(nom[0])} {escape(texte)}</text>"
            )
            textes.append(f"{nom} {texte}")
        phrases.append(f"{libelle} : " + ", ".join(textes))
    hauteur = 12 + len(lignes) * hauteur_ligne
    return _svg(ident, titre, " ; ".join(phrases) + ".", largeur, hauteur, corps)

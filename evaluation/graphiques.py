"""Charts drawn on the server as inline SVG: readable without JavaScript, printable, and each
with a <title> and a <desc> that say in words what the bars show (the page also gives the data
as a table). Colours come from classes styled in static/css/evaluation.css and app.css; targets
are drawn as a different shape (a line), so colour is never the only cue. Every bar carries its
value, in French digits, and axes are graduated in round steps (0, 10, 20…).
"""

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from centresocial.lib.nombres import format_nombre

# Steps of a graduation: 1, 2 or 5 times a power of ten (« 0, 25, 50 » reads well, « 0, 2,5, 5 »
# of a count of people does not).
PAS_RONDS = (1, 2, 5, 10)


def _nombre(valeur):
    """A coordinate in the SVG (never shown to anyone)."""
    return f"{valeur:.1f}".rstrip("0").rstrip(".")


def graduations(maximum, nombre=4):
    """Round ticks from 0 that cover `maximum`, at most `nombre` steps: 37,95 → 0, 10, 20, 30,
    40; 1 725 → 0, 500 … 2 000; 0,8 → 0, 0,2 … 0,8. Decimals, so that they print exactly."""
    maximum = Decimal(str(maximum))
    if maximum <= 0:
        return [Decimal(0), Decimal(1)]
    brut = maximum / nombre
    puissance = Decimal(10) ** brut.adjusted()
    pas = next(f * puissance for f in PAS_RONDS if f * puissance * nombre >= maximum)
    ticks = [pas * i for i in range(math.ceil(maximum / pas) + 1)]
    return [t.quantize(1) if t == t.to_integral() else t.normalize() for t in ticks]


def _court(texte, longueur):
    return texte if len(texte) <= longueur else texte[: longueur - 1] + "…"


def _svg(ident, titre, description, largeur, hauteur, corps):
    return mark_safe(
        f'<svg class="eval-graphique" viewBox="0 0 {largeur} {hauteur}" width="100%" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(titre)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>{"".join(corps)}</svg>'
    )


def graphique_indicateur(ident, titre, annees, resultats, cibles, reference=None, unite=""):
    """Bars of the yearly results (« réalisé », value on top), a line for each year's target
    (« cible »), a dashed baseline, on a round scale whose unit is written above it.

    `resultats` and `cibles` map a year to a number, or None when there is nothing to draw."""
    largeur, hauteur = 360, 190
    gauche, droite, haut, bas = 44, 8, 26, 22
    valeurs = [v for v in [*resultats.values(), *cibles.values(), reference] if v is not None]
    ticks = graduations(max(valeurs, default=0))
    sommet = float(ticks[-1])
    plot_h = hauteur - haut - bas
    bande = (largeur - gauche - droite) / max(len(annees), 1)
    base = haut + plot_h

    def y(v):
        return base - max(float(v), 0) / sommet * plot_h

    corps = []
    if unite:
        corps.append(
            f'<text class="eval-texte" x="{gauche - 4}" y="11">{escape(_court(unite, 52))}</text>'
        )
    for tick in ticks:
        corps.append(
            f'<line class="{"eval-axe" if tick == 0 else "eval-grille"}" x1="{gauche}" '
            f'y1="{_nombre(y(tick))}" x2="{largeur - droite}" y2="{_nombre(y(tick))}"/>'
            f'<text class="eval-texte" x="{gauche - 4}" y="{_nombre(y(tick) + 4)}" '
            f'text-anchor="end">{escape(format_nombre(tick))}</text>'
        )
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
                f'height="{_nombre(base - y(resultat))}"/>'
            )
        if cible is not None:
            corps.append(
                f'<line class="eval-cible" x1="{_nombre(x + bande * 0.12)}" '
                f'y1="{_nombre(y(cible))}" x2="{_nombre(x + bande * 0.88)}" '
                f'y2="{_nombre(y(cible))}"/>'
            )
        # The value above its bar (and above the target line when that is higher); a dash on
        # the axis for a year without result, so that no one reads a zero.
        if resultat is not None:
            dessus = min(y(resultat), y(cible) if cible is not None else base) - 5
            corps.append(
                f'<text class="eval-valeur" x="{_nombre(centre)}" y="{_nombre(dessus)}" '
                f'text-anchor="middle">{escape(format_nombre(resultat))}</text>'
            )
        else:
            corps.append(
                f'<text class="eval-texte" x="{_nombre(centre)}" y="{_nombre(base - 4)}" '
                f'text-anchor="middle">—</text>'
            )
        corps.append(
            f'<text class="eval-texte" x="{_nombre(centre)}" y="{hauteur - 6}" '
            f'text-anchor="middle">{annee}</text>'
        )
        phrase = f"{annee} : " + (
            f"réalisé {format_nombre(resultat)} {unite}".strip()
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


def _deux_lignes(texte, longueur):
    """A label on one line, or cut at a space into two (the second shortened if need be)."""
    if len(texte) <= longueur:
        return [texte]
    coupure = texte.rfind(" ", 0, longueur + 1)
    if coupure <= 0:
        return [_court(texte, longueur)]
    return [texte[:coupure], _court(texte[coupure + 1 :], longueur)]


def barres_horizontales(ident, titre, lignes, maximum=None, libelles_valeurs=None):
    """One labelled bar per row, its value at its end: `lignes` is [(libellé, nombre)]. Narrow
    enough to be read on a phone without scrolling; a long label takes two lines."""
    largeur, hauteur_ligne, gauche = 360, 32, 162
    maximum = maximum or max((v for _, v in lignes), default=0) or 1
    corps = []
    phrases = []
    for i, (libelle, valeur) in enumerate(lignes):
        y = 4 + i * hauteur_ligne
        texte = libelles_valeurs[i] if libelles_valeurs else format_nombre(valeur)
        long = (largeur - gauche - 40) * float(valeur or 0) / float(maximum)
        morceaux = _deux_lignes(libelle, 26)
        premiere = y + (12 if len(morceaux) == 2 else 19)
        corps.append(
            f'<text class="eval-texte" x="{gauche - 6}" y="{premiere}" text-anchor="end">'
            + "".join(
                f'<tspan x="{gauche - 6}" dy="{0 if j == 0 else 12}">{escape(m)}</tspan>'
                for j, m in enumerate(morceaux)
            )
            + "</text>"
            f'<rect class="eval-barre" x="{gauche}" y="{y + 5}" width="{_nombre(long)}" '
            f'height="{hauteur_ligne - 10}"/>'
            f'<text class="eval-valeur" x="{_nombre(gauche + long + 5)}" y="{y + 20}">'
            f"{escape(texte)}</text>"
        )
        phrases.append(f"{libelle} : {texte}")
    hauteur = 8 + len(lignes) * hauteur_ligne
    return _svg(ident, titre, " ; ".join(phrases) + ".", largeur, hauteur, corps)


def repartition(ident, titre, parts):
    """One bar cut into parts, each with its number when it fits: `parts` is
    [(libellé, nombre, classe)]. The page says the same in words beside it."""
    largeur, hauteur = 300, 22
    total = sum(n for _, n, _ in parts)
    corps = []
    x = 0.0
    for _libelle, nombre, classe in parts:
        if not nombre:
            continue
        long = largeur * nombre / total
        corps.append(
            f'<rect class="{classe}" x="{_nombre(x)}" y="0" width="{_nombre(long)}" '
            f'height="{hauteur}"/>'
        )
        if long >= 18:
            corps.append(
                f'<text class="eval-part-texte" x="{_nombre(x + long / 2)}" y="15" '
                f'text-anchor="middle">{nombre}</text>'
            )
        x += long
    if not total:
        corps.append(
            f'<rect class="eval-part-vide" x="0" y="0" width="{largeur}" height="{hauteur}"/>'
        )
    description = ", ".join(f"{libelle} : {nombre}" for libelle, nombre, _ in parts) + "."
    return _svg(ident, titre, description, largeur, hauteur, corps)

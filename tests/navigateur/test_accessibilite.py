"""Accessibility (the RGAA: WCAG 2.1 AA) and phones, in a real browser.

`test_chaque_page_est_accessible_et_tient_sur_un_telephone` visits every URL pattern of the
permission matrix (tests/permissions/entrees_*.py, in its world `o`) that a role opens with a GET
and a 200, so that a page added to the matrix is checked with no more to write. The Django admin's
pages are among them (its index, and each model's list, add, change, delete and history pages,
tests/permissions/entrees_admin.py), made accessible by templates/admin/ with static/css/admin.css
and static/js/admin-accessibilite.js. Each page is seen by one person who opens it: anonymous for a
public page, otherwise the first member of the staff and the first partner account who do (the
instance's admin for the admin's pages). On each page:

- at 1280 × 900, axe-core (vendored under tests/navigateur/vendor) with the tags wcag2a, wcag2aa,
  wcag21a, wcag21aa finds no serious or critical violation;
- at 390 × 844 (a phone), the page does not scroll sideways
  (`document.scrollingElement.scrollWidth <= innerWidth`), and what changes with the width (a
  table scrolling in its box, the folded navbar, the tabs) still passes axe's contrast rule and
  its rule for boxes that scroll.

The pages are seen under their real Content Security Policy, and a violation fails too. The test
stops at the first page that fails, saying which check and why. A GET that answers a file (PDF,
spreadsheet, image) or starts a download is no page and is skipped. An HTML fragment (polled by
htmx, without doctype) is checked without the rules of a whole document (title, language): those
of the page that holds it apply. The world is built once, in the test, committed for the live
server (pytest-django empties the database after it); the rows an entry creates to open its page
are deleted after it.

`test_le_theme_garde_ses_contrastes_dans_chaque_etat` measures the theme where axe-core does not
look: buttons, links, tabs, badges, E/NA/AE codes, the year grid and the charts' marks, at rest,
hovered, focused, pressed and disabled. The other tests use the fiche editor, the projet's arbre and
the folded navbar with the keyboard alone (Tab, Enter, Space, arrows), and check on the way that
every element reached shows where the focus is.
"""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models.signals import post_save
from django.test import Client
from playwright.sync_api import Error as ErreurPlaywright

from actions.models import Indicateur, ObjectifOperationnel
from projets.models import ObjectifGeneral
from tests.factories import (
    EnjeuFactory,
    IndicateurFactory,
    ObjectifGeneralFactory,
    ObjectifOperationnelFactory,
)
from tests.monde import completer_monde, construire_monde
from tests.navigateur.conftest import nouvelle_page
from tests.permissions import ROLES
from tests.permissions.test_matrice import ENTREES

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ETIQUETTES_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What a narrower screen changes: colours of what only shows there, boxes that scroll.
REGLES_TELEPHONE = ["color-contrast", "scrollable-region-focusable"]
BUREAU = {"width": 1280, "height": 900}
TELEPHONE = {"width": 390, "height": 844}
# The staff first (the direction sees every button), then the partner accounts; the instance's
# admin only for a page no one else opens.
PERSONNEL = ["direction_1", "equipe_1", "equipe_2", "admin"]
PARTENAIRES = ["partenaire_a", "partenaire_b"]

AXE_RUN = """async ([options, fragment]) => {
  if (fragment) {
    options.rules = {"document-title": {enabled: false}, "html-has-lang": {enabled: false}};
  }
  // No CSSOM preload (only the experimental css-orientation-lock, not run, reads it): axe would
  // copy each stylesheet's @import into a <style> of the page (the admin's forms.css has one),
  // which the Content Security Policy rightly blocks, as if the page had an inline style.
  const preload = {assets: ["media"]};
  const resultat = await axe.run(document, {...options, preload, resultTypes: ["violations"]});
  return resultat.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id, impact: v.impact, aide: v.help, lien: v.helpUrl, nombre: v.nodes.length,
      noeuds: v.nodes.slice(0, 5).map((n) => ({cible: n.target.join(" "), resume: n.failureSummary})),
    }));
}"""

# The elements that stick out of the screen, each one outermost and not held by a box that
# scrolls or clips it (for an absolutely positioned one, only its containing block's ancestors do).
DEBORDEMENTS = """() => {
  const largeur = document.documentElement.clientWidth;
  const decrire = (e) => {
    const classes = (e.getAttribute("class") || "").trim().split(/\\s+/).filter(Boolean);
    return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + classes.map((c) => "." + c).join("");
  };
  const coupables = [];
  for (const element of document.body.querySelectorAll("*")) {
    const boite = element.getBoundingClientRect();
    if (boite.width === 0 || boite.right <= largeur + 0.5) continue;
    if (coupables.some((c) => c.contains(element))) continue;
    let position = getComputedStyle(element).position;
    if (position === "fixed") continue;
    let tenu = false;
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (position === "absolute" && style.position === "static" && style.transform === "none") continue;
      if (style.overflowX !== "visible") { tenu = true; break; }
      position = style.position === "absolute" ? "absolute" : "static";
    }
    if (!tenu) coupables.push(element);
  }
  return coupables.slice(0, 5).map((e) =>
    `${decrire(e)} dans ${e.parentElement ? decrire(e.parentElement) : "?"} : jusqu'à ${Math.round(e.getBoundingClientRect().right)} px`);
}"""

DEUX_IMAGES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def cookie_de_session(live_server, user):
    """Logged in as `user` with no login form (Django's force_login), as a browser cookie."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def visiteurs(attendus):
    """Who visits a page, given its row of the matrix: anonymous when it is public, otherwise
    the first member of the staff and the first partner account who open it."""
    ouvrent = [role for role in ROLES if attendus[role] == 200]
    if "anonyme" in ouvrent:
        return ["anonyme"]
    choisis = [
        next((r for r in groupe if r in ouvrent), None) for groupe in (PERSONNEL, PARTENAIRES)
    ]
    return [role for role in choisis if role]


@contextmanager
def lignes_creees():
    """The rows saved while the block runs (an entry's `construire(o)` makes the result, the
    bilan… its page opens), deleted afterwards: the next entry finds the world as it was."""
    creees = []

    def noter(sender, instance, created, **kwargs):
        if created:
            creees.append(instance)

    post_save.connect(noter, weak=False, dispatch_uid="lignes_creees")
    try:
        yield creees
    finally:
        post_save.disconnect(dispatch_uid="lignes_creees")


def supprimer(lignes):
    for ligne in reversed(lignes):
        type(ligne)._base_manager.filter(pk=ligne.pk).delete()


def decrire_violations(violations):
    lignes = []
    for v in violations:
        lignes.append(
            f"- {v['id']} ({v['impact']}, {v['nombre']} élément(s)) : {v['aide']} — {v['lien']}"
        )
        for noeud in v["noeuds"]:
            resume = re.sub(r"\s+", " ", noeud["resume"] or "").strip()
            lignes.append(f"    {noeud['cible']} : {resume}")
    return "\n".join(lignes)


class Visite:
    """One browser context per role, logged in once, its page reused from URL to URL. axe-core
    is added to every document before its own scripts (an init script, which the Content Security
    Policy does not apply to, so the pages are seen with their real policy)."""

    def __init__(self, navigateur, live_server, o):
        self.navigateur, self.live_server, self.o = navigateur, live_server, o
        self.pages = {}
        self.csp = []
        # Files shown by the browser itself (an image): its viewer's inline styles are no page's.
        self.fichiers = set()

    def noter_csp(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append((message.location.get("url"), message.text))

    def violations_csp(self):
        return [texte for url, texte in self.csp if url not in self.fichiers]

    def page(self, role):
        if role not in self.pages:
            # No transitions (Bootstrap drops them for reduced motion): colours are read settled.
            contexte, page = nouvelle_page(self.navigateur, reduced_motion="reduce")
            contexte.add_init_script(script=AXE)
            page.on("console", self.noter_csp)
            if role != "anonyme":
                contexte.add_cookies(
                    [cookie_de_session(self.live_server, self.o.utilisateurs[role])]
                )
            self.pages[role] = page
        return self.pages[role]

    def fermer(self):
        for page in self.pages.values():
            page.context.close()


def verifier_la_page(page, cle, url, role):
    """The checks of one page, already loaded at desktop size. Fails with what is wrong."""
    ou = f"{cle} ({url}, vu par {role})"
    fragment = page.evaluate("() => document.doctype === null")
    violations = page.evaluate(
        AXE_RUN, [{"runOnly": {"type": "tag", "values": ETIQUETTES_WCAG}}, fragment]
    )
    if violations:
        pytest.fail(
            f"Accessibilité (axe-core, WCAG 2.1 AA) : {ou} a {len(violations)} sorte(s) de "
            f"violation grave ou critique :\n{decrire_violations(violations)}",
            pytrace=False,
        )
    page.set_viewport_size(TELEPHONE)
    page.evaluate(DEUX_IMAGES)  # the layout, and tableaux.js's ResizeObserver, at the new width
    largeur, ecran = page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]")
    if largeur > ecran:
        depassent = "\n".join(f"- {d}" for d in page.evaluate(DEBORDEMENTS))
        pytest.fail(
            f"Téléphone ({TELEPHONE['width']} × {TELEPHONE['height']}) : {ou} défile de côté, "
            f"{largeur} px de contenu pour {ecran} px d'écran. Ce qui dépasse :\n{depassent}",
            pytrace=False,
        )
    violations = page.evaluate(
        AXE_RUN, [{"runOnly": {"type": "rule", "values": REGLES_TELEPHONE}}, fragment]
    )
    if violations:
        pytest.fail(
            f"Accessibilité au téléphone ({TELEPHONE['width']} px, axe-core) : {ou} :\n"
            f"{decrire_violations(violations)}",
            pytrace=False,
        )


def test_chaque_page_est_accessible_et_tient_sur_un_telephone(navigateur, live_server):
    o = completer_monde(construire_monde())
    visite = Visite(navigateur, live_server, o)
    vues = set()
    try:
        for cle in sorted(ENTREES):
            construire, attendus = ENTREES[cle]
            roles = visiteurs(attendus)
            if not roles:
                continue
            with lignes_creees() as creees:
                requete = construire(o)
            try:
                if isinstance(requete, tuple):  # a POST: no page to look at
                    continue
                for role in roles:
                    page = visite.page(role)
                    page.set_viewport_size(BUREAU)
                    try:
                        reponse = page.goto(live_server.url + requete)
                    except ErreurPlaywright as erreur:
                        if "Download is starting" in erreur.message:  # a file sent as attachment
                            continue
                        raise
                    assert reponse.status == 200, (
                        f"{cle} ({requete}, vu par {role}) : {reponse.status}"
                    )
                    if "text/html" not in reponse.headers.get("content-type", ""):
                        visite.fichiers.add(reponse.url)
                        continue
                    verifier_la_page(page, cle, requete, role)
                    csp = visite.violations_csp()
                    assert not csp, (
                        f"Content Security Policy : {cle} ({requete}, vu par {role}) : {csp}"
                    )
                    vues.add(cle)
            finally:
                supprimer(creees)
    finally:
        visite.fermer()
    # The walk did reach the pages of every kind of person.
    assert {
        "login",
        "accueil",
        "actions:modifier",
        "actions:projet",
        "portail:mes_actions",
        "admin:index",
        "admin:actions_ficheaction_changelist",
        "admin:actions_ficheaction_change",
    } <= vues


# --- The theme's colours in every state ---------------------------------------------------------

# Samples of what the pages use (static/css/app.css and the pages' own stylesheets), marked
# data-etat. axe-core only sees a page at rest, and skips disabled controls: here every sample is
# measured at rest, hovered, focused and pressed (forced by Chromium's DevTools), and the disabled
# buttons at rest.
BOUTONS = [
    "primary", "outline-primary", "secondary", "outline-secondary", "success", "danger",
    "outline-danger", "light", "outline-dark", "link",
]  # fmt: skip
ECHANTILLONS = (
    """
<div id="echantillons" class="p-3 bg-body">
  <p>Un texte avec <a href="#e" data-etat>un lien</a>, <a class="link-danger" href="#e" data-etat>un
  lien rouge</a>, <a class="link-secondary" href="#e" data-etat>un lien gris</a>.</p>
  <p class="text-body-secondary" data-etat>Texte secondaire</p>
  <p class="text-danger" data-etat>Texte d'erreur</p><p class="text-success" data-etat>Réussite</p>
  <div class="invalid-feedback d-block" data-etat>Champ à corriger</div>
  <div class="form-text" data-etat>Aide d'un champ</div>
  <input class="form-control" value="Saisie" aria-label="Saisie" data-etat data-champ>
  <select class="form-select" aria-label="Choix" data-etat data-champ><option>Choix</option></select>
  <input class="form-check-input" type="checkbox" aria-label="Case" data-champ data-etat-bord>
  <p>"""
    + "".join(f'<button type="button" class="btn btn-{b}" data-etat>{b}</button> ' for b in BOUTONS)
    + "</p><p>"
    + "".join(
        f'<button type="button" class="btn btn-{b}" disabled data-repos>{b}</button> '
        for b in BOUTONS
    )
    + """</p>
  <p>"""
    + "".join(
        f'<span class="badge text-bg-{c}" data-repos>{c}</span> '
        for c in ["primary", "secondary", "success", "danger", "warning", "info", "light", "dark"]
    )
    + """<span class="badge statut-a_venir" data-repos>À venir</span>
    <span class="badge statut-en_cours" data-repos>En cours</span>
    <span class="badge statut-terminee" data-repos>Terminée</span>
    <span class="badge tag-acf" data-repos>ACF</span><span class="badge tag-jeunesse" data-repos>Jeunesse</span>
    <span class="badge fiche-role" data-repos>Pilote</span></p>
  <table class="arbre-table"><tbody><tr><td><abbr class="plan plan-e" data-repos>E</abbr></td>
    <td><abbr class="plan plan-na" data-repos>NA</abbr></td><td><abbr class="plan plan-ae" data-repos>AE</abbr></td>
  </tr></tbody></table>
  <ul class="annees-grille"><li data-repos>2025</li><li class="prevue" data-repos>2026</li></ul>
  <ol class="echelle-participation"><li data-repos>Information</li><li class="actuel" data-repos>Consultation</li>
    <li class="vise" data-repos>Concertation</li></ol>
  <ul class="nav nav-tabs"><li class="nav-item"><a class="nav-link active" href="#e" data-etat>Onglet courant</a></li>
    <li class="nav-item"><a class="nav-link" href="#e" data-etat>Autre onglet</a></li></ul>
  <ul class="nav nav-pills"><li class="nav-item"><a class="nav-link active" href="#e" data-etat>Axe courant</a></li></ul>
  <ul class="pagination"><li class="page-item"><a class="page-link" href="#e" data-etat>2</a></li>
    <li class="page-item active"><span class="page-link" data-repos>3</span></li></ul>
  <nav class="navbar navbar-dark bg-primary" aria-label="Essai"><a class="navbar-brand" href="#e" data-etat>centresocial</a>
    <ul class="navbar-nav"><li class="nav-item"><a class="nav-link" href="#e" data-etat>Partenaires</a></li></ul>
    <button type="button" class="btn btn-sm btn-outline-light" data-etat>Se déconnecter</button></nav>
  <article class="fiche"><header class="fiche-entete"><p class="fiche-axe" data-repos>Axe 1 – Accès aux droits</p>
    <ul class="fiche-tags"><li data-repos>Projet Jeunesse</li><li class="actif" data-repos>Projet ACF</li></ul>
  </header><h3 class="fiche-case-titre" data-repos>Contexte</h3><p class="fiche-vide" data-repos>Non renseigné</p></article>
  <figure class="eval-carte bg-white"><svg class="eval-graphique" viewBox="0 0 120 40" role="img" aria-label="Essai">
    <rect class="eval-resultat" x="0" y="0" width="20" height="30" data-graphique/>
    <rect class="eval-barre" x="25" y="0" width="20" height="30" data-graphique/>
    <rect class="eval-barre-visee" x="50" y="0" width="20" height="30" data-graphique/>
    <line class="eval-cible" x1="75" y1="5" x2="95" y2="5" data-graphique/>
    <line class="eval-reference" x1="75" y1="15" x2="95" y2="15" data-graphique/>
    <line class="eval-axe" x1="0" y1="35" x2="120" y2="35" data-graphique/>
    <text class="eval-texte" x="100" y="30" data-graphique>2026</text></svg>
    <figcaption><span class="eval-legende eval-legende-resultat" data-legende></span>
      <span class="eval-legende eval-legende-cible" data-legende></span>
      <span class="eval-legende eval-legende-reference" data-legende></span></figcaption></figure>
  """
    + "".join(
        f'<section class="card axe {a}"><div class="card-header axe-entete"><h2 class="h5" data-repos>{a}</h2>'
        '<a class="nav-link axe-lien {a}" href="#e" data-etat>lien</a></div></section>'.replace(
            "{a}", a
        )
        for a in ["axe-1", "axe-2", "axe-3", "axe-4", "axe-transversal"]
    )
    + "</div>"
)

MESURER = """(etat) => {
  const couleur = (texte) => {
    const p = (texte.match(/rgba?\\(([^)]+)\\)/) || [, "0 0 0 0"])[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const sur = (haut, bas) => [0, 1, 2].map((i) => haut[i] * haut[3] + bas[i] * (1 - haut[3])).concat(1);
  const fond = (e) => {
    const fonds = [];
    for (let x = e; x; x = x.parentElement) fonds.unshift(couleur(getComputedStyle(x).backgroundColor));
    return fonds.reduce((bas, haut) => sur(haut, bas), [255, 255, 255, 1]);
  };
  const lum = (c) => 0.2126 * l(c[0]) + 0.7152 * l(c[1]) + 0.0722 * l(c[2]);
  const l = (v) => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const rapport = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
  const hex = (c) => "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  const nom = (e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}${e.disabled ? " désactivé" : ""} « ${(e.textContent || e.getAttribute("aria-label") || "").trim().slice(0, 30)} »`;
  const ecarts = [];
  const selecteur = etat === "repos"
    ? "[data-etat], [data-repos], [data-etat-bord], [data-graphique], [data-legende]"
    : "[data-etat], [data-etat-bord]";
  for (const e of document.querySelectorAll("#echantillons " + selecteur)) {
    const style = getComputedStyle(e);
    const arriere = fond(e);
    const parent = fond(e.parentElement);
    if (e.hasAttribute("data-graphique") || e.hasAttribute("data-legende")) {
      // A chart's marks at 3:1 on the card (WCAG 1.4.11), its text at 4.5:1.
      const trait = style.stroke && style.stroke !== "none" && parseFloat(style.strokeWidth) > 0;
      const texte = e.tagName.toLowerCase() === "text";
      const marque = couleur(e.hasAttribute("data-legende")
        ? (style.backgroundColor === "rgba(0, 0, 0, 0)" ? style.borderTopColor : style.backgroundColor)
        : (trait && !texte ? style.stroke : style.fill));
      const r = rapport(marque, parent);
      if (r < (texte ? 4.5 : 3)) ecarts.push(`${nom(e)} : ${hex(marque)} sur ${hex(parent)}, ${r.toFixed(2)}:1`);
      continue;
    }
    if (!e.hasAttribute("data-etat-bord")) {
      let opacite = 1;
      for (let x = e; x; x = x.parentElement) opacite *= parseFloat(getComputedStyle(x).opacity);
      const texte = couleur(style.color);
      const avant = sur([texte[0], texte[1], texte[2], texte[3] * opacite], arriere);
      const grand = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && parseInt(style.fontWeight) >= 700);
      const r = rapport(avant, arriere);
      if (r < (grand ? 3 : 4.5)) ecarts.push(`${nom(e)} (${etat}) : texte ${hex(avant)} sur ${hex(arriere)}, ${r.toFixed(2)}:1`);
    }
    if (e.hasAttribute("data-champ") && etat === "repos") {
      const r = rapport(couleur(style.borderTopColor), parent);
      if (r < 3) ecarts.push(`${nom(e)} : bord ${hex(couleur(style.borderTopColor))} sur ${hex(parent)}, ${r.toFixed(2)}:1`);
    }
    if (etat === "focus") {
      const trait = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
      const r = rapport(couleur(style.outlineColor), parent);
      if (!trait || r < 3) ecarts.push(`${nom(e)} (focus) : contour ${style.outlineStyle} ${style.outlineWidth} ${hex(couleur(style.outlineColor))} sur ${hex(parent)}, ${r.toFixed(2)}:1`);
    }
  }
  return ecarts;
}"""

# The pseudo-classes forced for each state.
ETATS = {
    "repos": [],
    "survol": ["hover"],
    "focus": ["focus", "focus-visible"],
    "actif": ["active", "hover"],
}


def test_le_theme_garde_ses_contrastes_dans_chaque_etat(page, live_server):
    page.emulate_media(reduced_motion="reduce")  # colours measured settled, not mid-transition
    page.goto(f"{live_server.url}/comptes/login/")
    page.evaluate(
        """async (html) => {
          for (const feuille of ["fiche.css", "projet.css", "evaluation.css"]) {
            const lien = document.createElement("link");
            lien.rel = "stylesheet";
            lien.href = "/static/css/" + feuille;
            const charge = new Promise((fin) => { lien.onload = fin; });
            document.head.append(lien);
            await charge;
          }
          document.querySelector("main").insertAdjacentHTML("beforeend", html);
        }""",
        ECHANTILLONS,
    )
    devtools = page.context.new_cdp_session(page)
    devtools.send("DOM.enable")
    devtools.send("CSS.enable")
    racine = devtools.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    noeuds = devtools.send(
        "DOM.querySelectorAll",
        {"nodeId": racine, "selector": "#echantillons [data-etat], #echantillons [data-etat-bord]"},
    )["nodeIds"]
    ecarts = []
    for etat, pseudo in ETATS.items():
        for noeud in noeuds:
            devtools.send("CSS.forcePseudoState", {"nodeId": noeud, "forcedPseudoClasses": pseudo})
        ecarts += page.evaluate(MESURER, etat)
    assert not ecarts, "Contrastes sous le niveau AA :\n" + "\n".join(ecarts)


# --- The keyboard alone ------------------------------------------------------------------------

# Where the focus is, whether it matches `selecteur`, and whether it shows: an outline of 2 px or
# more, or a box shadow (our theme draws a 3 px outline, static/css/app.css).
FOCUS = """(selecteur) => {
  const e = document.activeElement;
  if (!e || e === document.body) return {atteint: false, visible: true, element: "body"};
  const style = getComputedStyle(e);
  const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
    || style.boxShadow !== "none";
  const texte = (e.getAttribute("aria-label") || e.innerText || e.name || "").trim().slice(0, 60);
  return {atteint: e.matches(selecteur), visible, element: `${e.tagName.toLowerCase()} « ${texte} »`};
}"""


def tabuler_jusqu_a(page, selecteur, touche="Tab", maximum=400):
    """Press Tab (or `touche`) until the focus is on `selecteur`; every element on the way must
    show its focus."""
    for _ in range(maximum):
        page.keyboard.press(touche)
        focus = page.evaluate(FOCUS, selecteur)
        assert focus["visible"], f"Le focus ne se voit pas sur {focus['element']}"
        if focus["atteint"]:
            return
    pytest.fail(f"{selecteur} n'est pas atteint en {maximum} appuis sur {touche}", pytrace=False)


def focus_sur(page, selecteur):
    return page.evaluate("(s) => document.activeElement.matches(s)", selecteur)


def test_l_editeur_s_utilise_au_clavier(page, live_server):
    monde = construire_monde()
    fiche = monde.fiche_1a
    retire = ObjectifOperationnelFactory(fiche=fiche, libelle="Objectif à retirer")
    IndicateurFactory(fiche=fiche)
    page.context.add_cookies([cookie_de_session(live_server, monde.equipe_1)])
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")

    # Remove a row: Space on its « Retirer cette ligne » box.
    tabuler_jusqu_a(page, "[name=objectifs_operationnels-0-DELETE]")
    page.keyboard.press("Space")
    assert "ligne-retiree" in page.locator(
        "[data-formset=objectifs_operationnels] [data-ligne]"
    ).first.get_attribute("class")
    # Add a row with Space: the focus lands in it, ready to type.
    tabuler_jusqu_a(page, "[data-formset=objectifs_operationnels] [data-ajouter]")
    page.keyboard.press("Space")
    assert focus_sur(page, "[name=objectifs_operationnels-1-libelle]")
    page.keyboard.type("Ouvrir un créneau le samedi")
    # Add an indicator with Enter, fill it in with Tab from field to field.
    tabuler_jusqu_a(page, "[data-formset=indicateurs] [data-ajouter]")
    page.keyboard.press("Enter")
    assert focus_sur(page, "[name=indicateurs-1-objet]")
    page.keyboard.type("Lien social")
    tabuler_jusqu_a(page, "[name=indicateurs-1-libelle]", maximum=3)
    page.keyboard.type("Nouvelles relations entre voisins")
    # On to the save button, past the rest of the form, and save with Enter.
    tabuler_jusqu_a(page, "form[data-editeur] button[type=submit]")
    with page.expect_navigation(url=re.compile(rf"/fiches/{fiche.pk}/$")):
        page.keyboard.press("Enter")

    assert not ObjectifOperationnel.objects.filter(pk=retire.pk).exists()
    assert ObjectifOperationnel.objects.filter(
        fiche=fiche, libelle="Ouvrir un créneau le samedi"
    ).exists()
    assert Indicateur.objects.filter(
        fiche=fiche, libelle="Nouvelles relations entre voisins"
    ).exists()


def bouton_deplacer(objet, sens):
    return f"form[action$='/objectifs/{objet.pk}/deplacer/']:has(input[value={sens}]) button"


def ordre_des_objectifs(enjeu):
    return list(
        ObjectifGeneral.objects.filter(enjeu=enjeu)
        .order_by("ordre")
        .values_list("titre", flat=True)
    )


def test_l_arbre_s_utilise_au_clavier(page, live_server):
    monde = construire_monde()
    enjeu = EnjeuFactory(axe=monde.axe_1)
    premier = ObjectifGeneralFactory(enjeu=enjeu, titre="Premier objectif", ordre=1)
    ObjectifGeneralFactory(enjeu=enjeu, titre="Second objectif", ordre=2)
    page.context.add_cookies([cookie_de_session(live_server, monde.equipe_1)])
    page.goto(f"{live_server.url}/projets/{monde.projet_1.pk}/")

    # Move the first objectif down with Enter: the page reloads with the focus on the same
    # button, to move it further if need be.
    tabuler_jusqu_a(page, bouton_deplacer(premier, "bas"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert ordre_des_objectifs(enjeu) == ["Second objectif", "Premier objectif"]
    assert page.get_by_role("status").filter(has_text="est descendu d'un cran").is_visible()
    assert focus_sur(page, bouton_deplacer(premier, "bas"))
    assert page.evaluate(FOCUS, "button")["visible"]
    # And back up with Space on its other button, just before.
    page.keyboard.press("Shift+Tab")
    assert focus_sur(page, bouton_deplacer(premier, "haut"))
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert ordre_des_objectifs(enjeu) == ["Premier objectif", "Second objectif"]
    assert focus_sur(page, bouton_deplacer(premier, "haut"))

    # The axe's « Modifier » menu opens with Enter, its items are reached with the arrows.
    tabuler_jusqu_a(
        page, f"#axe-{monde.axe_1.pk} .card-header .dropdown-toggle", touche="Shift+Tab"
    )
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Modifier l'axe"
    with page.expect_navigation(url=re.compile(rf"/axes/{monde.axe_1.pk}/modifier/$")):
        page.keyboard.press("Enter")


def test_au_telephone_le_menu_se_deplie_au_clavier(page, live_server):
    monde = construire_monde()
    page.set_viewport_size(TELEPHONE)
    page.context.add_cookies([cookie_de_session(live_server, monde.equipe_1)])
    page.goto(f"{live_server.url}/")
    lien = page.get_by_role("link", name="Partenaires")
    assert not lien.is_visible()
    tabuler_jusqu_a(page, ".navbar-toggler", maximum=5)
    page.keyboard.press("Enter")
    lien.wait_for(state="visible")
    assert page.locator(".navbar-toggler").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert focus_sur(page, "a[href='/partenaires/']")

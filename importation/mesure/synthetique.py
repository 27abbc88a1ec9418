"""A projet social of our own words, for the tests that must always run and for the 120-page
document of the benchmark: `projet_synthetique(fiches, disposition)`.

Each fiche varies its rubrics' names (« Contexte » / « Préambule » / « Constats », « Partenaires
associés » / « Partenariat »…) the way centres do, so the measure does not hang on one phrasing.
"""

from .modele import Attendu, Case, DocumentMesure, Para, Table, Unite

THEMES = [
    ("Jardin partagé", "jardinage", "le square des Tilleuls"),
    ("Atelier numérique", "informatique", "la salle multimédia"),
    ("Café des parents", "parentalité", "le hall d'accueil"),
    ("Sorties familiales", "loisirs", "le minibus du centre"),
    ("Aide aux devoirs", "scolarité", "la bibliothèque de quartier"),
    ("Repair café", "réparation", "l'atelier du sous-sol"),
    ("Chorale intergénérationnelle", "chant", "la grande salle"),
    ("Permanence accès aux droits", "démarches", "le bureau d'écoute"),
]
VARIANTES = {
    "contexte": ["Contexte", "Préambule", "Constats"],
    "objectifs": [
        "Objectif général / Objectifs opérationnels",
        "Objectifs de l'action",
        "Objectifs",
    ],
    "public_vise": ["Public visé", "Public cible", "Bénéficiaires"],
    "presentation": ["Présentation de l'action", "Modalités de mise en œuvre", "Déroulement"],
    "echeancier": ["Échéancier", "Calendrier", "Planning prévisionnel"],
    "moyens": ["Moyens", "Moyens mobilisés", "Ressources"],
    "partenaires": ["Partenaires associés", "Partenariat", "Partenaires"],
    "resultats_attendus": ["Résultats attendus", "Effets attendus", "Résultats escomptés"],
    "indicateurs": ["Évaluation", "Indicateurs d'évaluation", "Critères d'évaluation"],
    "freins": ["Freins à lever", "Points de vigilance", "Risques"],
}


def contenu_fiche(n):
    """The rubrics of fiche `n`, in our words: [(champ, [Para], [Unite])]."""
    nom, sujet, lieu = THEMES[n % len(THEMES)]
    rang = n // len(THEMES) + 1
    titre = f"{nom} n°{rang}" if rang > 1 else nom
    u = Unite
    rubriques = [
        (
            "contexte",
            [
                Para(
                    f"Les habitants rencontrés lors du diagnostic ont parlé de {sujet} à plusieurs reprises (fiche {n + 1})."
                ),
                Para(f"Aucune offre de {sujet} n'existe aujourd'hui près de {lieu}."),
            ],
            [
                u(
                    f"Les habitants rencontrés lors du diagnostic ont parlé de {sujet} à plusieurs reprises (fiche {n + 1}).",
                    ("contexte",),
                ),
                u(f"Aucune offre de {sujet} n'existe aujourd'hui près de {lieu}.", ("contexte",)),
            ],
        ),
        (
            "objectifs",
            [
                Para(f"Faire du {sujet} un moment de rencontre"),
                Para(f"Réunir au moins douze personnes autour du {sujet}", puce=True),
                Para("Donner un rôle aux bénévoles du quartier", puce=True),
            ],
            [
                u(f"Faire du {sujet} un moment de rencontre", ("objectifs_generaux",)),
                u(
                    f"Réunir au moins douze personnes autour du {sujet}",
                    ("objectifs_operationnels",),
                ),
                u("Donner un rôle aux bénévoles du quartier", ("objectifs_operationnels",)),
            ],
        ),
        (
            "public_vise",
            [
                Para(f"Familles et retraités du secteur, fiche {n + 1}"),
                Para("Une attention particulière sera portée aux personnes isolées."),
            ],
            [
                u(f"Familles et retraités du secteur, fiche {n + 1}", ("public_vise",)),
                u(
                    "Une attention particulière sera portée aux personnes isolées.",
                    ("attention_particuliere", "public_vise"),
                ),
            ],
        ),
        (
            "presentation",
            [
                Para(f"Chaque mardi, un temps de {sujet} se tient dans {lieu}."),
                Para("Inscription à l'accueil du centre", puce=True),
                Para("Bilan collectif à chaque fin de trimestre", puce=True),
            ],
            [
                u(f"Chaque mardi, un temps de {sujet} se tient dans {lieu}.", ("presentation",)),
                u("Inscription à l'accueil du centre", ("presentation",)),
                u("Bilan collectif à chaque fin de trimestre", ("presentation",)),
            ],
        ),
        (
            "echeancier",
            [
                Para("Septembre 2025 : lancement avec les premiers inscrits"),
                Para("Juin 2026 : première fête de fin d'année"),
            ],
            [
                u("Septembre 2025 : lancement avec les premiers inscrits", ("echeancier",)),
                u("Juin 2026 : première fête de fin d'année", ("echeancier",)),
            ],
        ),
        (
            "moyens",
            [
                Para("Moyens humains", gras=True),
                Para("1 animatrice référente", puce=True),
                Para("3 bénévoles", puce=True),
                Para("Moyens matériels", gras=True),
                Para(f"Le matériel de {sujet} prêté par la ville", puce=True),
                Para("Moyens financiers", gras=True),
                Para("Budget de 1 200 € sur l'année", puce=True),
            ],
            [
                u("1 animatrice référente", ("moyens_humains",)),
                u("3 bénévoles", ("moyens_humains",)),
                u(f"Le matériel de {sujet} prêté par la ville", ("moyens_materiels",)),
                u("Budget de 1 200 € sur l'année", ("moyens_financiers",)),
            ],
        ),
        (
            "partenaires",
            [Para(f"Association Les Amis du {sujet.title()}, Mairie annexe, Bailleur Habitat Est")],
            [
                u(f"Association Les Amis du {sujet.title()}", ("partenaires",)),
                u("Mairie annexe", ("partenaires",)),
                u("Bailleur Habitat Est", ("partenaires",)),
            ],
        ),
        (
            "resultats_attendus",
            [Para(f"Des liens durables entre participants du {sujet}.")],
            [u(f"Des liens durables entre participants du {sujet}.", ("resultats_attendus",))],
        ),
        (
            "indicateurs",
            [
                Para("Nombre de participants par séance", puce=True),
                Para("Satisfaction exprimée au bilan", puce=True),
            ],
            [
                u("Nombre de participants par séance", ("indicateurs",)),
                u("Satisfaction exprimée au bilan", ("indicateurs",)),
            ],
        ),
        (
            "freins",
            [Para("La disponibilité des bénévoles en été.")],
            [u("La disponibilité des bénévoles en été.", ("freins",))],
        ),
    ]
    return titre, rubriques


def projet_synthetique(fiches=6, disposition="titres", axes=2):
    """A projet of `fiches` fiches over `axes` axes, with a préambule, a diagnostic and sigles;
    « titres »: fiches as headings and paragraphs, « tableaux »: as bordered tables."""
    contenu = [
        Para("Centre social des Tilleuls", titre=1),
        Para("Projet social 2025-2028", gras=True),
        Para("Préambule", titre=1),
        Para("Ce projet a été écrit avec les habitants pendant un an de rencontres."),
        Para("Diagnostic partagé", titre=1),
        Para("Le quartier compte beaucoup de jeunes familles et de personnes âgées seules."),
    ]
    attendus = []
    par_axe = max(1, -(-fiches // axes))
    for n in range(fiches):
        if n % par_axe == 0:
            numero = n // par_axe + 1
            contenu.append(
                Para(f"Axe {numero} : Vivre ensemble dans le quartier, volet {numero}", titre=1)
            )
        titre, rubriques = contenu_fiche(n)
        variante = n % 3
        attendu = Attendu(
            titre=titre, participation={"participation_actuelle": 2, "participation_visee": 4}
        )
        contenu.append(Para(f"Fiche action {n % par_axe + 1} : {titre}", titre=2))
        contenu.append(
            Para(
                "☒ Projet Animation Collective Familles"
                if n % 2 == 0
                else "☐ Projet Animation Collective Familles"
            )
        )
        contenu.append(Para("☐ Projet Jeunesse"))
        lignes = []
        for champ, paras, unites in rubriques:
            libelle = VARIANTES[champ][variante]
            attendu.unites += unites
            if disposition == "tableaux":
                lignes.append([Case([Para(libelle, gras=True)]), Case(paras)])
            else:
                contenu.append(Para(libelle, titre=3))
                contenu += paras
        participation = [
            [Case([Para("Niveau actuel")]), Case([Para("Niveau visé")])],
            [Case([Para("Consultation")]), Case([Para("Co-construction")])],
        ]
        if disposition == "tableaux":
            contenu.append(
                Table(
                    lignes + [[Case([Para("Participation", gras=True)], largeur=2)]] + participation
                )
            )
        else:
            contenu.append(Para("Participation des habitants", titre=3))
            contenu.append(Table(participation))
        attendus.append(attendu)
    contenu += [
        Para("Sigles et abréviations", titre=1),
        Table(
            [
                [Case([Para("CAF")]), Case([Para("Caisse d'allocations familiales")])],
                [
                    Case([Para("QPV")]),
                    Case([Para("Quartier prioritaire de la politique de la ville")]),
                ],
                [Case([Para("ACF")]), Case([Para("Animation collective familles")])],
                [Case([Para("EVS")]), Case([Para("Espace de vie sociale")])],
            ]
        ),
    ]
    return DocumentMesure(
        nom=f"Projet synthétique ({fiches} fiches, {disposition})",
        contenu=contenu,
        attendus=attendus,
    )

"""Locust scenario of `make bench` (run by bench/charge.py, which passes the ids in CHARGE_*).

Staff browse a projet (projet page, fiche list with filters, fiche page, evaluation dashboard)
and edit fiches (open the editor, save it with its token: 302, or 409 when a colleague saved
first); partners browse their « Mes actions » and their fiches.
"""

import os
import random
import re

from locust import HttpUser, between, task

from bench.formulaire import champs_du_formulaire

PROJET = os.environ.get("CHARGE_PROJET", "1")
FICHES = os.environ.get("CHARGE_FICHES", "1").split(",")
MOT_DE_PASSE = "demo"


class Visiteur(HttpUser):
    abstract = True
    wait_time = between(2, 5)  # a person reads a page before the next click
    compte = ""

    def on_start(self):
        page = self.client.get("/comptes/login/", name="connexion")
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/comptes/login/",
            {"username": self.compte, "password": MOT_DE_PASSE, "csrfmiddlewaretoken": jeton},
            name="connexion",
        )


class Equipe(Visiteur):
    weight = 4
    compte = "equipe"

    @task(3)
    def projet(self):
        self.client.get(f"/projets/{PROJET}/", name="projet")

    @task(3)
    def liste_filtree(self):
        filtre = random.choice(["", "?statut=en_cours", "?q=famille", "?statut_plan=NA&tri=-titre"])
        self.client.get(f"/projets/{PROJET}/fiches/{filtre}", name="liste des fiches (filtres)")

    @task(4)
    def fiche(self):
        self.client.get(f"/fiches/{random.choice(FICHES)}/", name="fiche")

    @task(2)
    def evaluation(self):
        self.client.get(f"/projets/{PROJET}/evaluation/", name="tableau de bord d'évaluation")

    @task(2)
    def editer(self):
        pk = random.choice(FICHES)
        page = self.client.get(f"/fiches/{pk}/modifier/", name="éditeur (ouvrir)")
        if page.status_code != 200:
            return
        data = champs_du_formulaire(page.text)
        titre = dict(data).get("titre") or "Fiche"
        data = [(k, v) for k, v in data if k != "titre"]
        base = re.sub(r" · charge \d+$", "", titre)
        data.append(("titre", f"{base} · charge {random.randint(1, 999)}"))
        with self.client.post(
            f"/fiches/{pk}/modifier/",
            data,
            name="éditeur (enregistrer)",
            allow_redirects=False,
            catch_response=True,
        ) as reponse:
            # 409: a colleague saved the fiche first; the user is told, nothing is lost.
            if reponse.status_code in (302, 409):
                reponse.success()
            else:
                reponse.failure(f"statut {reponse.status_code}")


class Partenaire(Visiteur):
    weight = 1
    compte = "partenaire"

    def on_start(self):
        super().on_start()
        page = self.client.get("/mes-actions/", name="mes actions")
        self.fiches = re.findall(r'href="/mes-actions/(\d+)/"', page.text) or ["0"]

    @task(1)
    def mes_actions(self):
        self.client.get("/mes-actions/", name="mes actions")

    @task(2)
    def fiche(self):
        self.client.get(f"/mes-actions/{random.choice(self.fiches)}/", name="fiche (partenaire)")

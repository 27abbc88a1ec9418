"""Indicator results, yearly bilans and the observatory's fields live here (issue « Évaluation »).

The indicators themselves (objet, indicateur, outil, baseline, cible) belong to the fiche, in
`actions.models.Indicateur`; this app records what happened over the période.
"""

"""Targets per network: what "enough connections" means for an organization or a team."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from revere.network.models import NetworkClass
from revere.tenancy import visibility
from revere.tenancy.models import OrgScoped


class Target(OrgScoped):
    visible_by = visibility.TeamOrOrganization("team")

    team = models.ForeignKey(
        "tenancy.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    network_class = models.CharField(max_length=10, choices=NetworkClass.choices)
    min_size = models.PositiveIntegerField(default=0)
    max_density = models.FloatField(null=True, blank=True)
    min_density = models.FloatField(null=True, blank=True)
    max_constraint = models.FloatField(null=True, blank=True)
    min_strength = models.FloatField(null=True, blank=True, help_text="mean tie strength")
    min_diversity = models.FloatField(null=True, blank=True, help_text="Blau's index over companies")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "team", "network_class"], name="target_unique"),
            models.UniqueConstraint(
                fields=["organization", "network_class"],
                condition=Q(team__isnull=True),
                name="target_unique_org",
            ),
        ]

from django.apps import AppConfig
from django.db.models import Q


class DealsConfig(AppConfig):
    name = "revere.deals"
    label = "deals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A company with a won deal is a customer, one with an open deal a prospect (DESIGN.md §1);
        # the network layer below asks for these conditions through its registry.
        from revere.network.classes import company_class_condition_register

        company_class_condition_register("customer", _won)
        company_class_condition_register("prospect", _open)


def _won() -> Q:
    from revere.deals.models import Stage

    return Q(deals__stage=Stage.WON)


def _open() -> Q:
    from revere.deals.models import OPEN_STAGES

    return Q(deals__stage__in=OPEN_STAGES)

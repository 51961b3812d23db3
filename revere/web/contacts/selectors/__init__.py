"""Reads on persons and companies: the lists, a person's page, a company's org chart.

Every function here starts from revere.tenancy.visibility and is registered with ``@selector``,
so the visibility-matrix test calls it for members of two organizations. Lists return one page of
rows in a fixed number of queries whatever the size of the organization (count, rows, and one
query per side table for the rows on the page): the list pages' query budgets test that.
"""

from revere.web.contacts.selectors.common import (
    MAX_PER_PAGE,
    PER_PAGE,
    Page,
    RoleRow,
    strength_band,
)
from revere.web.contacts.selectors.companies import (
    CompanyFilters,
    CompanyRow,
    OrgChart,
    OrgNode,
    company_facets,
    company_get,
    company_list,
    company_org_chart,
    company_search,
)
from revere.web.contacts.selectors.persons import (
    INTERACTIONS_SHOWN,
    LINKS_SHOWN,
    InteractionRow,
    LinkRow,
    MergeRow,
    OwnTie,
    PersonDetail,
    PersonFilters,
    PersonRow,
    person_detail,
    person_get,
    person_list,
    person_merge_get,
    person_search,
)

__all__ = [
    "INTERACTIONS_SHOWN",
    "LINKS_SHOWN",
    "MAX_PER_PAGE",
    "PER_PAGE",
    "CompanyFilters",
    "CompanyRow",
    "InteractionRow",
    "LinkRow",
    "MergeRow",
    "OrgChart",
    "OrgNode",
    "OwnTie",
    "Page",
    "PersonDetail",
    "PersonFilters",
    "PersonRow",
    "RoleRow",
    "company_facets",
    "company_get",
    "company_list",
    "company_org_chart",
    "company_search",
    "person_detail",
    "person_get",
    "person_list",
    "person_merge_get",
    "person_search",
    "strength_band",
]

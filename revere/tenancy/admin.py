"""The Django admin, scoped to the signed-in admin's organization, and the tenancy models' admins.

Every tenant model's admin derives from :class:`OrgScopedAdmin` (tabular inlines from
:class:`OrgScopedInline`):

* the change lists and change pages show only rows of the admin's organization: another
  organization's id is "not found";
* foreign-key and many-to-many choices offer only the organization's rows (and its users);
* a row created in the admin gets the admin's organization, whatever was posted;
* only a member with the *admin* role (and Django's staff flag) gets in, and may then view, add,
  change and delete the organization's rows without Django's per-model permissions: the role is
  what grants them.

A superuser who is no member of any organization is the platform's operator: the admin is not
scoped for them (there is no organization to scope to); every other user sees one organization.
Large tables (persons, companies) are picked by id (``raw_id_fields``), whose pop-up list is the
same scoped change list, never a select of a hundred thousand options.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from revere.tenancy.models import Member, Organization, OrgScoped, Role, Team
from revere.tenancy.restricted import internal_reads, operator_view

User = get_user_model()


def admin_organization_id(request: HttpRequest) -> int | None:
    """The organization the request's admin works in; None for the platform operator."""
    member = getattr(request, "member", None)
    return member.organization_id if member is not None else None


def is_operator(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_active and user.is_superuser and getattr(request, "member", None) is None)


def may_administer(request: HttpRequest) -> bool:
    """Staff members of the admin role, and the platform operator."""
    if is_operator(request):
        return True
    member = getattr(request, "member", None)
    user = getattr(request, "user", None)
    return bool(member is not None and member.role == Role.ADMIN and user is not None and user.is_staff)


def scope_queryset(model: type[models.Model], qs: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
    """``qs`` as the request's admin may see it: ``visible_to`` the admin (the whole organization,
    by the rules for the admin role), or every row for the platform operator."""
    if is_operator(request):
        return operator_view(qs)
    member = getattr(request, "member", None)
    if member is None:
        return qs.none()
    if issubclass(model, OrgScoped):
        return qs.visible_to(member)  # type: ignore[attr-defined,no-any-return]
    if model is Organization:
        return qs.filter(pk=member.organization_id)
    if model is User:
        # Only the organization's members' users: a new member's user is made with the member.
        return qs.filter(member__organization_id=member.organization_id)
    return qs


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box whose label beside the id is looked up among the rows the admin may see: an id
    of another organization typed in shows no name (and the form refuses it)."""

    def __init__(self, rel: Any, admin_site: Any, *, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        try:
            obj = self.queryset.get(**{key: value})
        except (ValueError, self.queryset.model.DoesNotExist, ValidationError):
            return "", ""
        try:
            url = reverse(
                f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_change", args=(obj.pk,)
            )
        except NoReverseMatch:
            url = ""
        return Truncator(obj).words(14), url


class OrgScopedModelForm(forms.ModelForm):
    """The admin's model form. Django reads a many-to-many field's initial value, and writes it on
    save, through the related manager (restricted): both concern the row being edited, which the
    admin already reached through ``visible_to``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with internal_reads():
            super().__init__(*args, **kwargs)

    def _save_m2m(self) -> None:
        with internal_reads():
            super()._save_m2m()  # type: ignore[misc]


class OrgScopedMixin:
    """What admins and inlines share: scoped choices and permissions."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        model = db_field.related_model
        qs = kwargs.get("queryset", model._default_manager.all())
        kwargs["queryset"] = scope_queryset(model, qs, request)
        if db_field.name in getattr(self, "raw_id_fields", ()):
            site = self.admin_site  # type: ignore[attr-defined]
            kwargs["widget"] = ScopedRawIdWidget(db_field.remote_field, site, queryset=kwargs["queryset"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        model = db_field.related_model
        qs = kwargs.get("queryset", model._default_manager.all())
        kwargs["queryset"] = scope_queryset(model, qs, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_administer(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return may_administer(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(request)


class OrgScopedAdmin(OrgScopedMixin, admin.ModelAdmin):
    """The admin of a tenant model: one organization's rows, choices and writes."""

    form = OrgScopedModelForm
    list_per_page = 50
    show_full_result_count = False  # no second COUNT(*) over a big table on every page
    #: Fields only the row's owner (the member named by ``owner_field``) reads and writes, such as a
    #: tie's notes: the admin role administers the organization's rows, not its members' private
    #: notes, so the change page leaves them out (and keeps them as they are on save).
    owner_only_fields: tuple[str, ...] = ()
    owner_field = "member"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(self.model, super().get_queryset(request), request)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        if not is_operator(request) and issubclass(self.model, OrgScoped):
            exclude.append("organization")
        if self.owner_only_fields and not self._is_owner(request, obj):
            exclude.extend(self.owner_only_fields)
        return exclude

    def _is_owner(self, request: HttpRequest, obj: Any) -> bool:
        member = getattr(request, "member", None)
        if obj is None or member is None:
            return False
        return bool(getattr(obj, f"{self.owner_field}_id", None) == member.pk)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        org_id = admin_organization_id(request)
        if org_id is not None and isinstance(obj, OrgScoped):
            obj.organization_id = org_id
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        org_id = getattr(form.instance, "organization_id", None) or admin_organization_id(request)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if isinstance(obj, OrgScoped) and org_id is not None:
                obj.organization_id = org_id
            obj.save()
        formset.save_m2m()


class OrgScopedFormSet(BaseInlineFormSet):
    """Inline rows take the parent's organization before they are validated."""

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        org_id = getattr(self.instance, "organization_id", None)
        if org_id is not None and isinstance(form.instance, OrgScoped):
            form.instance.organization_id = org_id
        return form


class OrgScopedInline(OrgScopedMixin, admin.TabularInline):
    """An inline of a tenant model: the parent's organization, scoped choices."""

    formset = OrgScopedFormSet
    form = OrgScopedModelForm
    extra = 0
    exclude = ("organization",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(self.model, super().get_queryset(request), request)


def register_remaining(app_label: str) -> None:
    """Give every tenant model of the app that has no admin yet a plain scoped one.

    Each app's admin.py ends with this, so a model added later is never left without an
    organization-scoped admin (or, worse, registered elsewhere without the scoping).
    """
    from django.apps import apps

    for model in apps.get_app_config(app_label).get_models():
        if admin.site.is_registered(model) or not issubclass(model, OrgScoped):
            continue
        foreign_keys = tuple(
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey) and f.name != "organization"
        )
        model_admin = type(
            f"{model.__name__}Admin",
            (OrgScopedAdmin,),
            {"raw_id_fields": foreign_keys, "list_display": ("__str__",), "__module__": __name__},
        )
        admin.site.register(model, model_admin)


# ---- tenancy's own models ----------------------------------------------------------------


@admin.register(Organization)
class OrganizationAdmin(OrgScopedAdmin):
    list_display = ("name", "slug", "own_company", "data_version", "created_at")
    search_fields = ("name", "slug")
    readonly_fields = ("data_version", "created_at")
    raw_id_fields = ("own_company",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_operator(request)  # a new tenant is the operator's to make

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)


@admin.register(Team)
class TeamAdmin(OrgScopedAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    filter_horizontal = ("managers",)


@admin.register(Member)
class MemberAdmin(OrgScopedAdmin):
    """Members; adding one makes their sign-in (user) with them, so no user exists outside an org."""

    list_display = ("person", "user", "role", "team", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("person__full_name", "user__username", "user__email")
    list_select_related = ("person", "user", "team")
    raw_id_fields = ("person",)
    fields = ("user", "person", "role", "team", "is_active")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None and not is_operator(request):
            kwargs["form"] = MemberCreationForm
            kwargs["fields"] = ("email", "password", "person", "role", "team", "is_active")
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None and not is_operator(request):
            return ("email", "password", "person", "role", "team", "is_active")
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("user",) if obj is not None and not is_operator(request) else ()


class MemberCreationForm(OrgScopedModelForm):
    """A new member and their sign-in: the e-mail is the user name."""

    email = forms.EmailField(help_text="They sign in with this address.")
    password = forms.CharField(widget=forms.PasswordInput, help_text="They can change it after signing in.")

    class Meta:
        model = Member
        fields = ("person", "role", "team", "is_active")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(models.Q(username__iexact=email) | models.Q(email__iexact=email)).exists():
            raise forms.ValidationError("Someone already signs in with this address.")
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password

    def save(self, commit: bool = True) -> Any:
        email = self.cleaned_data["email"]
        user = User.objects.create_user(username=email, email=email, password=self.cleaned_data["password"])
        self.instance.user = user
        return super().save(commit=commit)


class ScopedUserAdmin(UserAdmin):
    """Django's user admin, limited to the organization's users for an organization's admin."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(User, super().get_queryset(request), request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_administer(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)  # an organization's users are added as members

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An organization's admin cannot hand out platform-wide powers.
        ro = list(super().get_readonly_fields(request, obj))
        if not is_operator(request):
            ro += ["is_superuser", "groups", "user_permissions"]
        return ro


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, ScopedUserAdmin)
register_remaining("tenancy")

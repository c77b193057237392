from django.urls import path

from openhelp.directory.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_new, name="new"),
    path("join/<str:token>/", views.join_with_token, name="join-token"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/edit/", views.programme_edit, name="edit"),
    path("<slug:slug>/join/", views.join_by_domain, name="join"),
    path("<slug:slug>/accept/", views.accept_code, name="accept"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/add/", views.add_members, name="add-members"),
    path("<slug:slug>/members/<int:user_id>/role/", views.set_role, name="set-role"),
    path("<slug:slug>/members/<int:user_id>/remove/", views.remove_member, name="remove-member"),
    path("<slug:slug>/invite/rotate/", views.rotate_invite, name="rotate-invite"),
]

"""A sign-up form validated as you type, and a file upload with a progress bar."""

import re

from django.contrib.auth.models import User

from demo.layout import page, two_columns
from hypergen import js
from hypergen.imports import *

USERNAME = re.compile(r"^[\w.@+-]{3,30}$")


def username_problem(username):
    if not USERNAME.match(username):
        return "3 to 30 letters, digits or . @ + - _"
    if User.objects.filter(username__iexact=username).exists():
        return f"{username} is taken"
    return None


def password_problem(password):
    if len(password) < 10:
        return f"{10 - len(password)} more characters, please"
    if password.isalpha() or password.isdigit():
        return "mix letters with digits or symbols"
    return None


def field(label_text, element, feedback_id):
    with div(class_="field"):
        label(label_text, for_=element.ensure_id())
        div(element)
        div(id=feedback_id)


def signup_form():
    # Each field is checked on the server while you type, once the typing pauses for 300 ms.
    username = input_(id="username", autocomplete="off", onkeyup=callback(check_field, "username", THIS, debounce=300))
    password = input_(id="password", type="password", onkeyup=callback(check_field, "password", THIS, debounce=300))
    field("Username", username, "username-feedback")
    field("Password", password, "password-feedback")
    button("Create account", id="create", onclick=callback(create_account, username, password))
    p(id="signup-result")


def show(field_name, problem):
    feedback = f"{field_name}-feedback"
    if problem:
        js.set_text(feedback, problem)
        js.set_attribute(feedback, "class", "error")
    else:
        js.set_text(feedback, "looks good")
        js.set_attribute(feedback, "class", "ok")


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Sign up"), path="signup/")
def signup(request):
    two_columns(signup_form, signup_form, check_field, create_account)


@action(perm=NO_PERM_REQUIRED)
def check_field(request, field_name, value):
    show(field_name, username_problem(value) if field_name == "username" else password_problem(value))


@action(perm=NO_PERM_REQUIRED)
def create_account(request, username, password):
    problems = {"username": username_problem(username), "password": password_problem(password)}
    for field_name, problem in problems.items():
        show(field_name, problem)
    if not any(problems.values()):
        js.set_text("signup-result", f"Welcome, {username}! (The demo does not really create the account.)")


# Upload -----------------------------------------------------------------------------------------


def upload_form():
    files = input_(type="file", id="upload-file", multiple=True)
    button("Upload", id="upload", onclick=callback(receive_files, files, upload_files=True))
    progress(value=0, max=100, id="upload-progress", data_hypergen_upload_progress=True)
    ul(id="uploaded")


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Upload"), path="upload/")
def upload(request):
    two_columns(upload_form, upload_form, receive_files)


@action(perm=NO_PERM_REQUIRED)
def receive_files(request, names):
    for uploaded in request.FILES.getlist("upload-file"):
        js.append("uploaded", hypergen(lambda f=uploaded: li(f"{f.name}: {f.size:,} bytes")))

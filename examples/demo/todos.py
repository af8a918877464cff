"""TodoMVC: actions that change the database, then re-render the list in place."""

from demo.layout import page, two_columns
from demo.models import Todo
from hypergen.imports import *

FILTERS = {"all": {}, "active": {"done": False}, "completed": {"done": True}}


def session_todos(request):
    if not request.session.session_key:
        request.session.save()
    return Todo.objects.filter(session_key=request.session.session_key)


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Todos"), path="todos/")
def todos(request):
    two_columns(lambda: todo_list(request, "all"), todo_list, add, toggle, remove, clear_completed, example_id="todo")


def todo_list(request, show):
    todos = session_todos(request)
    enter = ["hypergen.when.keycode", "Enter"]
    new = input_(id="new-todo", placeholder="What needs to be done?", autofocus=True,
                 onkeyup=callback(add, THIS, show, clear=True, when=enter))  # fmt: skip
    button("Add", id="add-todo", onclick=callback(add, new, show, clear=True))
    with ul(class_="todo-list", id="todo-list"):
        for todo in todos.filter(**FILTERS[show]):
            with li(class_="done" if todo.done else None, id_=("todo", todo.pk)):
                input_(
                    type="checkbox",
                    checked=todo.done,
                    onchange=callback(toggle, todo.pk, show),
                    id_=("toggle", todo.pk),
                )
                label(todo.title, for_=f"toggle-{todo.pk}")
                button(
                    "\u00d7",
                    aria_label="Delete",
                    title="Delete",
                    onclick=callback(remove, todo.pk, show),
                    id_=("delete", todo.pk),
                )
    left = todos.filter(done=False).count()
    with p(class_="filters muted"):
        span(left, " item" if left == 1 else " items", " left", id="todo-count")
        for name in FILTERS:
            button(name.title(), class_="selected" if name == show else None, onclick=callback(refilter, name),
                   id_=("filter", name))  # fmt: skip
        button("Clear completed", id="clear-completed", onclick=callback(clear_completed, show))


@action(perm=NO_PERM_REQUIRED, target_id="todo")
def add(request, title, show):
    title = title.strip()
    if title:
        session_todos(request)  # Makes sure the session has a key.
        Todo.objects.create(session_key=request.session.session_key, title=title[:200])
    todo_list(request, show)


@action(perm=NO_PERM_REQUIRED, target_id="todo")
def toggle(request, pk, show):
    todo = session_todos(request).get(pk=pk)
    todo.done = not todo.done
    todo.save(update_fields=["done"])
    todo_list(request, show)


@action(perm=NO_PERM_REQUIRED, target_id="todo")
def remove(request, pk, show):
    session_todos(request).filter(pk=pk).delete()
    todo_list(request, show)


@action(perm=NO_PERM_REQUIRED, target_id="todo")
def refilter(request, show):
    todo_list(request, show)


@action(perm=NO_PERM_REQUIRED, target_id="todo")
def clear_completed(request, show):
    session_todos(request).filter(done=True).delete()
    todo_list(request, show)

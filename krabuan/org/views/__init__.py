from krabuan.org.views.calendar import calendar_page
from krabuan.org.views.users import preferences, user_list

__all__ = ["calendar_page", "preferences", "user_list"]

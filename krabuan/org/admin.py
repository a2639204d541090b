from django.contrib import admin

from krabuan.org.models import CalendarOverride, FiscalYear, Membership, Position, Preference, Unit

admin.site.register([Unit, Position, Membership, Preference, FiscalYear, CalendarOverride])

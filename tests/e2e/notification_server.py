#!/usr/bin/python3
# A tiny desktop notification daemon for the e2e tests of desktop notifications (notify_test.cc):
# owns org.freedesktop.Notifications on the session bus in DBUS_SESSION_BUS_ADDRESS and prints
# one line per Notify call, "notify<TAB>app<TAB>summary<TAB>body", in the order the bus delivered
# them. Prints "ready" once it owns the name. Debian's python3-dbus and python3-gi.
import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

INTERFACE = 'org.freedesktop.Notifications'


class Notifications(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, '/org/freedesktop/Notifications')
        self.last_id = 0

    @dbus.service.method(INTERFACE, in_signature='susssasa{sv}i', out_signature='u')
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        self.last_id += 1
        print('notify\t%s\t%s\t%s' % (app, summary, body), flush=True)
        return self.last_id

    @dbus.service.method(INTERFACE, out_signature='as')
    def GetCapabilities(self):
        return ['body']

    @dbus.service.method(INTERFACE, out_signature='ssss')
    def GetServerInformation(self):
        return ('attune-test', 'attune', '1', '1.2')

    @dbus.service.method(INTERFACE, in_signature='u')
    def CloseNotification(self, notification_id):
        pass


dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
name = dbus.service.BusName(INTERFACE, bus, do_not_queue=True)
daemon = Notifications(bus)
print('ready', flush=True)
GLib.MainLoop().run()

// The demo site's script highlighted the sources that show_sources() printed; there are none here.

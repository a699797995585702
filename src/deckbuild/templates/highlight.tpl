$highlighting-css$

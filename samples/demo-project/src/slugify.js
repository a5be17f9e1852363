'use strict';

/** Turns a title into a URL slug: "Hello, World!" -> "hello-world". */
function slugify(title) {
  return title.toLowerCase().replace(/ /g, '-');
}

module.exports = { slugify };

// Where Debian's Chromium lives (never downloaded). Its own module so that checking for it does not
// load playwright.
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { nb, type Messages } from './nb';

export const languages = ['nb', 'nn', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'nb';

// Bokmål is the default and the fallback, so it is in the main bundle; Nynorsk and English come
// in their own small chunks when chosen (most people never download the languages they do not use).
const loaders: Record<Exclude<Language, 'nb'>, () => Promise<Messages>> = {
  nn: () => import('./nn').then((module) => module.nn),
  en: () => import('./en').then((module) => module.en),
};

async function loadLanguage(language: Language): Promise<void> {
  if (language === 'nb' || i18next.hasResourceBundle(language, 'translation')) return;
  i18next.addResourceBundle(language, 'translation', await loaders[language]());
}

const storageKey = 'samtykke.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(storageKey);
    return isLanguage(value) ? value : defaultLanguage;
  } catch {
    // Storage can be blocked (privacy settings); the default language still works.
    return defaultLanguage;
  }
}

export function currentLanguage(): Language {
  return isLanguage(i18next.resolvedLanguage) ? i18next.resolvedLanguage : defaultLanguage;
}

export async function changeLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Not persisted, but the switch still applies to this visit.
  }
  await loadLanguage(language);
  await i18next.changeLanguage(language);
}

i18next.on('languageChanged', (language) => {
  document.documentElement.lang = isLanguage(language) ? language : defaultLanguage;
});

export async function initI18n(): Promise<void> {
  const language = storedLanguage();
  await i18next.use(initReactI18next).init({
    resources: { nb: { translation: nb } },
    partialBundledLanguages: true,
    lng: defaultLanguage,
    fallbackLng: defaultLanguage,
    supportedLngs: [...languages],
    interpolation: { escapeValue: false }, // React escapes already
  });
  if (language === defaultLanguage) return;
  // A stored choice of another language: fetch it before the first render (Bokmål if that fails).
  try {
    await loadLanguage(language);
    await i18next.changeLanguage(language);
  } catch {
    // Offline or a failed chunk: the app still works in Bokmål.
  }
}

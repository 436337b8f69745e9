import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, isLanguage, languages } from '../../i18n';
import { SelectField } from './SelectField';

/** Each language is named in itself, so a person who cannot read the current one finds theirs. */
export function LanguageSwitcher() {
  const { t } = useTranslation();
  const options = languages.map((language) => ({ value: language, label: t(`languages.${language}`), lang: language }));
  return (
    <SelectField
      id="language"
      className="language-switcher"
      data-size="sm"
      label={t('layout.language')}
      options={options}
      value={currentLanguage()}
      onChange={(event) => {
        const value = event.target.value;
        if (isLanguage(value)) void changeLanguage(value);
      }}
    />
  );
}

import '@digdir/designsystemet-theme';
import '@digdir/designsystemet-css';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { currentLanguage, initI18n } from './i18n';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

void initI18n().then(() => {
  document.documentElement.lang = currentLanguage();
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
